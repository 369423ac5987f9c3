// What the lab manager asks of a sandbox runtime ("nodes", "kind"). One provisioner per runtime, registered in
// provisioners.ts. Provisioners create Docker objects carrying the labels they are given (labLabels + store id),
// so teardown and the reaper can always find them by lab id, whatever happened to the provisioning process.
import type { IsolationPolicy } from '../isolation/isolation-policy.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { Sandbox } from '../../course/sandbox/sandbox-schema.ts';
import type { LabTarget, ProvisionProgress } from './lab.ts';

export interface ProvisionRequest<S extends Sandbox = Sandbox> {
  labId: string;
  sandbox: S;
  /** io.packetwalk.* labels for every container and network (labLabels() output). */
  labels: Record<string, string>;
  /** Aborted when the lab is destroyed while provisioning; stop at the next step. */
  signal: AbortSignal;
  onProgress: (p: ProvisionProgress) => void;
}

export interface ProvisionResult {
  /** Primary lab network. */
  networkId: string;
  targets: LabTarget[];
}

export interface Provisioner<S extends Sandbox = Sandbox> {
  readonly runtime: S['runtime'];
  /** Creates the lab and resolves once every target answers its readiness probe. May leave objects behind on failure: the manager tears down by label. */
  provision(req: ProvisionRequest<S>): Promise<ProvisionResult>;
  /** Removes every container (with anonymous volumes) and network labelled with the lab id. Idempotent. */
  teardown(labId: string): Promise<void>;
  pause(labId: string): Promise<void>;
  resume(labId: string): Promise<void>;
  /** Brings a lab's targets back to a fresh state (e.g. after a fork bomb); resolves with the new targets. */
  reset?(req: ProvisionRequest<S>, current: LabTarget[]): Promise<LabTarget[]>;
  /** A warm-pool lab was just claimed by a learner: refresh per-learner credentials (kind: a new jumpbox token valid until expiresAt). */
  claim?(labId: string, expiresAt: Date): Promise<void>;
}

export interface ProvisionerContext {
  runtime: ContainerRuntime;
  /** HostConfig.Runtime for lab containers (LAB_RUNTIME), e.g. sysbox-runc. */
  containerRuntime?: string;
  /** How lab nodes are confined (LAB_ISOLATION); absent: no extra security options, no refusal (unit tests). */
  isolation?: IsolationPolicy;
  /** LAB_DISK_LIMIT in bytes; absent: nodes' filesystems are not capped. */
  diskLimitBytes?: number;
}
