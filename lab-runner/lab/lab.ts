// A lab's lifecycle carried in types: each state has exactly the fields that are true in it.
export interface LabTarget {
  /** Lesson-facing name: "node1", "node2", "jumpbox". */
  name: string;
  kind: 'node' | 'jumpbox';
  /** Shown on the terminal tab. */
  title: string;
  containerId: string;
  containerName: string;
  /** Address on the lab network, when known. */
  ipv4?: string;
  /**
   * User every exec on this target runs as (terminal, grader, kill-shell) unless the caller names one, e.g.
   * "learner" on a kind jumpbox whose ~/.kube is 0700. Unset: the image's user (root on lab nodes).
   */
  user?: string;
}

interface LabCommon {
  id: string;
  learnerId: string;
  template: string;
  createdAt: Date;
  expiresAt: Date;
  lastActiveAt: Date;
}

export interface ProvisionProgress {
  step: number;
  totalSteps: number;
  label: string;
}

export interface PendingLab extends LabCommon {
  state: 'pending';
  progress: ProvisionProgress;
}

export interface ReadyLab extends LabCommon {
  state: 'ready';
  networkId: string;
  targets: LabTarget[];
  readyAt: Date;
}

export interface PausedLab extends LabCommon {
  state: 'paused';
  networkId: string;
  targets: LabTarget[];
  pausedAt: Date;
}

export interface FailedLab extends LabCommon {
  state: 'failed';
  error: string;
}

export interface DestroyedLab extends LabCommon {
  state: 'destroyed';
  destroyedAt: Date;
  reason: string;
}

export type Lab = PendingLab | ReadyLab | PausedLab | FailedLab | DestroyedLab;
export type LabState = Lab['state'];
/** A lab whose containers exist and can be reached (a paused lab is resumed on use). */
export type LiveLab = ReadyLab | PausedLab;

export function isLive(lab: Lab): lab is LiveLab {
  return lab.state === 'ready' || lab.state === 'paused';
}

/**
 * What the lab runner tells subscribers (terminal gateway, grader, the start route's progress stream).
 * 'reset': the lab's targets were replaced by fresh ones (same id, same target names, ready again): whatever was
 * attached to the old containers (shells, check channels) is gone.
 */
export type LabEvent =
  | { type: 'progress'; labId: string; progress: ProvisionProgress }
  | { type: 'state'; labId: string; state: LabState; detail?: string }
  | { type: 'reset'; labId: string }
  | { type: 'target-down'; labId: string; target: string; reason: string };
