// The lab-runner's public API: what the site, the CLI and the tests use. Implemented in lab-manager-impl.ts.
import type { ExecOptions, ExecResult, StreamExec, StreamExecOptions, TtyExec, TtyExecOptions } from '../runtime/container-runtime.ts';
import type { Lab, LabEvent, LiveLab, ReadyLab } from './lab.ts';

export interface CreateLabRequest {
  template: string;
  learnerId: string;
  /**
   * The client asking (clientKeyForAddress of the request's address; an account id once accounts exist). When set,
   * the per-client cap and the reserved last slots apply; the CLI and tests leave it unset.
   */
  clientKey?: string;
  /** Take a warm lab from the pool when one is ready (default true). */
  usePool?: boolean;
  /** Called for each provisioning step, for progress UIs. */
  onEvent?: (event: LabEvent) => void;
}

export interface LabManager {
  /** Provision (or claim from the warm pool) a lab; resolves once every target answers its readiness probe. */
  create(req: CreateLabRequest): Promise<ReadyLab>;
  get(labId: string): Promise<Lab | undefined>;
  list(filter?: { learnerId?: string; includeDestroyed?: boolean }): Promise<Lab[]>;
  /** Non-TTY exec on a lab target; resumes a paused lab first. */
  exec(labId: string, target: string, opts: ExecOptions): Promise<ExecResult>;
  /** Interactive exec with a PTY on a lab target; resumes a paused lab first. */
  execTty(labId: string, target: string, opts: TtyExecOptions): Promise<TtyExec>;
  /** Long-lived non-TTY exec with stdin kept open (the grader's check channel); resumes a paused lab first. */
  execStream(labId: string, target: string, opts: StreamExecOptions): Promise<StreamExec>;
  /** Marks learner activity so idle timers restart. */
  touch(labId: string): Promise<void>;
  pause(labId: string): Promise<void>;
  resume(labId: string): Promise<LiveLab>;
  /** Replaces the lab's targets with fresh ones (same lab id, same networks), e.g. after a fork bomb. */
  reset(labId: string): Promise<ReadyLab>;
  /** Idempotent: destroying a destroyed or unknown lab resolves. */
  destroy(labId: string, reason: string): Promise<void>;
  /** Subscribe to lab events; returns an unsubscribe function. */
  subscribe(listener: (event: LabEvent) => void): () => void;
  /** Stop background work (reaper, pool refills). Labs are left running: they belong to the store, not to this process. */
  close(): Promise<void>;
}
