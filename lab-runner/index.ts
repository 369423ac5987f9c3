// The lab runner's public surface for code outside lab-runner/ (app/, lib/, tests). Deliberately free of dockerode:
// the Next bundle may import this file. Server-side assembly lives in platform.ts (createPlatform) and
// lab/lab-engine.ts (createLabEngine), which bring in the Docker runtime.
export type { Lab, LabEvent, LabState, LabTarget, LiveLab, PendingLab, ReadyLab, PausedLab, FailedLab, DestroyedLab, ProvisionProgress } from './lab/lab.ts';
export { isLive } from './lab/lab.ts';
export type { LabManager, CreateLabRequest } from './lab/lab-manager.ts';
export type { ContainerRuntime, ExecOptions, ExecResult, TtyExec, TtyExecOptions } from './runtime/container-runtime.ts';
export type { LabStore, LabRecord } from './store/lab-store.ts';
export type { Sandbox, SandboxRuntime } from './sandbox/sandbox-schema.ts';
export type { TargetDescription } from './sandbox/sandbox-targets.ts';
export { sandboxTargets } from './sandbox/sandbox-targets.ts';
export { SandboxCatalog } from './sandbox/sandbox-catalog.ts';
export { SandboxError } from './sandbox/sandbox-error.ts';
export { LAB_ID_PATTERN } from './lab/lab-id.ts';
export { Labels, POOL_LEARNER } from './labels.ts';
export * from './errors.ts';
// Classrooms (#17): types for the routes. Their pure helpers (roles.ts, enroll-ref.ts, class-export.ts) are imported
// from their own files: a value import of this index pulls the sandbox catalog into the Next bundle, which breaks it.
export type { Classroom, LearnerAction, NewClassInput } from './classroom/classroom.ts';
export type { Account, Role } from './classroom/roles.ts';
export type { ClassroomErrorCode } from './classroom/classroom-error.ts';
export type { SignedIn } from './classroom/identity.ts';
