// "No lost work": how long a lab has left, a warning before it ends, and Extend.
// A live lab ends at the earlier of its hard expiry (LAB_HARD_EXPIRY after creation, the reaper destroys it) and idle
// destruction (LAB_IDLE_DESTROY after the last terminal input). Extend is both: the lab counts as active now, and its
// hard expiry moves to now + LAB_HARD_EXPIRY, never past creation + LAB_MAX_LIFETIME (the configured maximum).
import { LabNotFoundError, LabStateError } from '../errors.ts';
import type { Lab } from '../lab/lab.ts';
import type { LabStore } from '../store/lab-store.ts';
import type { LabTimeView } from '../wire/practice.ts';

/** The warning (with Extend) shows this long before the lab would end. */
export const WARN_BEFORE_MS = 10 * 60_000;

export interface LabTimeLimits {
  hardExpiryMs: number;
  /** The most a lab may live from its creation, extensions included (LAB_MAX_LIFETIME, at least hardExpiryMs). */
  maxLifetimeMs: number;
  idleDestroyMs: number;
}

/** Pure: the time view of a lab at `now`. */
export function labTime(lab: Lab, limits: LabTimeLimits, now: number): LabTimeView {
  if (lab.state === 'pending') return { state: 'pending', labId: lab.id, serverNow: now };
  if (lab.state === 'destroyed' || lab.state === 'failed') {
    const detail = lab.state === 'failed' ? lab.error : lab.reason;
    return { state: 'gone', labId: lab.id, serverNow: now, why: goneWhy(lab), detail, ...(lab.state === 'destroyed' ? { at: +lab.destroyedAt } : {}) };
  }
  const expiresAt = +lab.expiresAt;
  const idleDestroyAt = +lab.lastActiveAt + limits.idleDestroyMs;
  const endsBy = idleDestroyAt < expiresAt ? 'idle' : 'expiry';
  const endsAt = Math.min(expiresAt, idleDestroyAt);
  const maxExpiresAt = +lab.createdAt + Math.max(limits.maxLifetimeMs, limits.hardExpiryMs);
  return {
    state: 'live',
    labId: lab.id,
    serverNow: now,
    expiresAt,
    idleDestroyAt,
    endsAt,
    endsBy,
    warnFrom: endsAt - WARN_BEFORE_MS,
    canExtend: extendedExpiry(lab, limits, now) > expiresAt || endsBy === 'idle',
    maxExpiresAt,
  };
}

/** The hard expiry Extend gives: now + LAB_HARD_EXPIRY, capped at creation + LAB_MAX_LIFETIME, never earlier than today's. */
export function extendedExpiry(lab: Pick<Lab, 'createdAt' | 'expiresAt'>, limits: LabTimeLimits, now: number): number {
  const cap = +lab.createdAt + Math.max(limits.maxLifetimeMs, limits.hardExpiryMs);
  return Math.max(+lab.expiresAt, Math.min(now + limits.hardExpiryMs, cap));
}

function goneWhy(lab: Extract<Lab, { state: 'destroyed' | 'failed' }>): Extract<LabTimeView, { state: 'gone' }>['why'] {
  if (lab.state === 'failed') return 'failed';
  if (lab.reason === 'expired') return 'expired';
  if (lab.reason === 'idle') return 'idle';
  if (/stopped|reset/.test(lab.reason)) return 'stopped';
  return 'other';
}

export interface LabTimeDeps {
  store: Pick<LabStore, 'get' | 'touch' | 'extendExpiry'>;
  limits: LabTimeLimits;
  clock?: () => number;
}

/** The engine service behind the time and extend routes. Someone else's lab answers as "no such lab" (ids are not to be probed). */
export class LabTimeService {
  readonly #d: LabTimeDeps;
  constructor(deps: LabTimeDeps) {
    this.#d = deps;
  }

  #now(): number {
    return this.#d.clock?.() ?? Date.now();
  }

  async #own(labId: string, learnerId: string) {
    const lab = await this.#d.store.get(labId);
    if (!lab || lab.learnerId !== learnerId) throw new LabNotFoundError(labId);
    return lab;
  }

  async time(labId: string, learnerId: string): Promise<LabTimeView> {
    return labTime(await this.#own(labId, learnerId), this.#d.limits, this.#now());
  }

  /** Extend: the lab is active now, and its hard expiry moves as far as the maximum allows. */
  async extend(labId: string, learnerId: string): Promise<LabTimeView> {
    const lab = await this.#own(labId, learnerId);
    if (lab.state !== 'ready' && lab.state !== 'paused') throw new LabStateError(labId, lab.state, 'ready or paused to be extended');
    const now = this.#now();
    const expiresAt = extendedExpiry(lab, this.#d.limits, now);
    if (expiresAt > +lab.expiresAt) await this.#d.store.extendExpiry(labId, new Date(expiresAt));
    await this.#d.store.touch(labId, new Date(now));
    return this.time(labId, learnerId);
  }
}
