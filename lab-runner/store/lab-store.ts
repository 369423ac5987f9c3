// Where lab records live. The store, not Docker, is the truth about who owns a lab: Docker labels cannot change,
// so a warm-pool lab keeps learner-id=pool on its containers while its record names the learner who claimed it.
// SqliteLabStore implements this; a PostgreSQL store would implement the same interface.
import type { Lab, LabState, LabTarget, LiveLab, PendingLab, ProvisionProgress, ReadyLab } from '../lab/lab.ts';

export interface LabRecordExtras {
  /** Sandbox runtime that provisioned the lab ("nodes", "kind"), so teardown works even if the template changed. */
  runtime: string;
  /** host:pid of the provisioning process; lets the reaper tell a crashed provisioning from one still running. */
  owner: string;
  claimedAt?: Date;
  /** The client that asked for the lab (clientKeyForAddress, or an account): caps are counted per client too. */
  clientKey?: string;
}
export type LabRecord = Lab & LabRecordExtras;

export interface LabCaps {
  maxTotal: number;
  /** Not applied to warm-pool labs. */
  maxPerLearner: number;
  /** Labs one client may hold (applied when the lab names a client). */
  maxPerClient?: number;
  /** The last this-many free slots go only to clients that hold no lab yet (applied when the lab names a client). */
  reservedSlots?: number;
}

/** Who is claiming a warm lab, for the per-client caps. */
export interface ClientClaim {
  clientKey: string;
  maxPerClient: number;
  reservedSlots: number;
  maxTotal: number;
}

export interface LabListFilter {
  learnerId?: string;
  template?: string;
  states?: LabState[];
  /** Default false: destroyed labs are history. */
  includeDestroyed?: boolean;
}

export interface LabStore {
  /** Stable id of this store, written on every Docker object as a label so reapers leave other stores' labs alone. */
  readonly storeId: string;

  /** Inserts a pending lab if the caps allow it, atomically; throws CapacityError (with the numbers) otherwise. */
  insertPending(lab: PendingLab, extras: Omit<LabRecordExtras, 'claimedAt'>, caps: LabCaps): Promise<void>;
  setProgress(id: string, progress: ProvisionProgress): Promise<void>;
  /** pending -> ready. Resolves undefined when the lab is no longer pending (destroyed meanwhile). */
  markReady(id: string, v: { networkId: string; targets: LabTarget[]; readyAt: Date }): Promise<ReadyLab | undefined>;
  /** ready -> paused. */
  markPaused(id: string, at: Date): Promise<void>;
  /** paused -> ready. */
  markResumed(id: string): Promise<void>;
  /** Replaces the targets of a live lab (after a reset recreated its containers). */
  setTargets(id: string, targets: LabTarget[]): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  /** Any state -> destroyed (idempotent: keeps the first reason and time). */
  markDestroyed(id: string, reason: string, at: Date): Promise<void>;
  touch(id: string, at: Date): Promise<void>;
  /** Moves a live lab's hard expiry (Extend, practice/lab-time.ts); never earlier than it is. */
  extendExpiry(id: string, expiresAt: Date): Promise<void>;

  /**
   * Hands the oldest ready warm-pool lab of a template to a learner, atomically (one transaction: two concurrent
   * claims never get the same lab). Respects the per-learner cap; resolves undefined when the pool is empty.
   */
  claimPoolLab(template: string, learnerId: string, now: Date, expiresAt: Date, maxPerLearner: number, client?: ClientClaim): Promise<LabRecord | undefined>;

  get(id: string): Promise<LabRecord | undefined>;
  list(filter?: LabListFilter): Promise<LabRecord[]>;
  /** Labs that hold or may hold containers: pending, ready, paused. */
  listLive(): Promise<LabRecord[]>;
  /** Deletes destroyed/failed records older than the date; returns how many. */
  purgeBefore(date: Date): Promise<number>;
  close(): Promise<void>;
}

export function isLiveRecord(r: LabRecord): r is LiveLab & LabRecordExtras {
  return r.state === 'ready' || r.state === 'paused';
}
