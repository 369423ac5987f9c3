// The lab runner's public surface for code outside lab-runner/ (app/, server.ts, tests). Deliberately free of dockerode:
// the Next bundle imports this file, so nothing it reaches may need Docker or locate files with
// new URL(…, import.meta.url) (Turbopack resolves that as a module: the sandbox catalog is not exported here).
// Server-side assembly lives in platform.ts (createPlatform) and lab/lab-engine.ts (createLabEngine), which bring in
// the Docker runtime.
export type { Lab, LabEvent, LabState, LabTarget, LiveLab, PendingLab, ReadyLab, PausedLab, FailedLab, DestroyedLab, ProvisionProgress } from './lab/lab.ts';
export { isLive } from './lab/lab.ts';
export type { LabManager, CreateLabRequest } from './lab/lab-manager.ts';
/** Type only: the site's platform handle (app/_server/platform-handle.ts) holds one; createPlatform stays in platform.ts. */
export type { Platform } from './platform.ts';
export { LabLifecycle, LabResetRefusedError } from './lab/lab-lifecycle.ts';
export type { LabLifecycleDeps, ResetOptions } from './lab/lab-lifecycle.ts';
export type { ContainerRuntime, ExecOptions, ExecResult, TtyExec, TtyExecOptions } from './runtime/container-runtime.ts';
export type { LabStore, LabRecord } from './store/lab-store.ts';
export type { Sandbox, SandboxRuntime } from '../course/sandbox/sandbox-schema.ts';
export type { TargetDescription } from '../course/sandbox/sandbox-targets.ts';
export { sandboxTargets } from '../course/sandbox/sandbox-targets.ts';
export { SandboxError } from '../course/sandbox/sandbox-error.ts';
export { LAB_ID_PATTERN } from './lab/lab-id.ts';
export { Labels, POOL_LEARNER } from './labels.ts';
export * from './errors.ts';
export { toLabView, isActive } from './lab/lab-view.ts';
// The editor's files and manifests (app/api/files, app/api/manifests).
export { LabFiles, ManifestCommands, jumpboxOf, editPolicy, lessonEditFiles, isExpectedVersion } from './files/index.ts';
export type { EditPolicy } from './files/index.ts';
// What this host can run (GET /api/host, the /host page).
export { hostSupportView, hostChecks } from './host/host-support-view.ts';
// Classrooms: accounts, classes, the trainer's dashboard (classroom/).
export type { Classroom, LearnerAction, NewClassInput } from './classroom/classroom.ts';
export type { Account, Role } from './classroom/roles.ts';
export { ROLES, canTeach } from './classroom/roles.ts';
export type { ClassroomErrorCode } from './classroom/classroom-error.ts';
export { ClassroomError } from './classroom/classroom-error.ts';
export { ENROLL_TOKEN, SHORT_CODE } from './classroom/enroll-ref.ts';
export { exportRows, toCsv } from './classroom/class-export.ts';
export type { SignedIn } from './classroom/identity.ts';
