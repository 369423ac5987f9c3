// Time left on a lab, the warning moment, and how far Extend goes.
import { describe, expect, it } from 'vitest';
import type { Lab } from '../../../lab-runner/lab/lab.ts';
import { extendedExpiry, labTime, WARN_BEFORE_MS } from '../../../lab-runner/practice/lab-time.ts';

const H = 3_600_000;
const limits = { hardExpiryMs: 4 * H, maxLifetimeMs: 8 * H, idleDestroyMs: 2 * H };
const ready = (over: Partial<{ createdAt: number; expiresAt: number; lastActiveAt: number }> = {}): Lab => ({
  id: 'lab-1',
  learnerId: 'l',
  template: 'nodes-2',
  state: 'ready',
  createdAt: new Date(over.createdAt ?? 0),
  expiresAt: new Date(over.expiresAt ?? 4 * H),
  lastActiveAt: new Date(over.lastActiveAt ?? 0),
  networkId: 'n',
  targets: [],
  readyAt: new Date(0),
});

describe('labTime', () => {
  it('ends at the earlier of hard expiry and idle destruction, and warns ten minutes before', () => {
    const idle = labTime(ready({ lastActiveAt: 0 }), limits, 30 * 60_000);
    expect(idle).toMatchObject({ state: 'live', endsBy: 'idle', endsAt: 2 * H, warnFrom: 2 * H - WARN_BEFORE_MS, canExtend: true });
    const active = labTime(ready({ lastActiveAt: 3 * H }), limits, 3 * H);
    expect(active).toMatchObject({ endsBy: 'expiry', endsAt: 4 * H, warnFrom: 4 * H - 10 * 60_000, maxExpiresAt: 8 * H });
  });
  it('says why a lab is gone', () => {
    const base = { id: 'x', learnerId: 'l', template: 't', createdAt: new Date(0), expiresAt: new Date(H), lastActiveAt: new Date(0) };
    expect(labTime({ ...base, state: 'destroyed', destroyedAt: new Date(H), reason: 'expired' }, limits, 2 * H)).toMatchObject({
      state: 'gone',
      why: 'expired',
      at: H,
    });
    expect(labTime({ ...base, state: 'destroyed', destroyedAt: new Date(H), reason: 'idle' }, limits, 2 * H)).toMatchObject({ why: 'idle' });
    expect(labTime({ ...base, state: 'destroyed', destroyedAt: new Date(H), reason: 'stopped by the learner' }, limits, 2 * H)).toMatchObject({
      why: 'stopped',
    });
    expect(labTime({ ...base, state: 'failed', error: 'boom' }, limits, 2 * H)).toMatchObject({ why: 'failed', detail: 'boom' });
  });
});

describe('extendedExpiry', () => {
  it('gives now + LAB_HARD_EXPIRY, capped at creation + LAB_MAX_LIFETIME, never earlier than today', () => {
    expect(extendedExpiry(ready(), limits, 3 * H)).toBe(7 * H);
    expect(extendedExpiry(ready(), limits, 6 * H)).toBe(8 * H);
    expect(extendedExpiry(ready({ expiresAt: 8 * H }), limits, 7.9 * H)).toBe(8 * H);
    // A maximum below the hard expiry never shortens a lab.
    expect(extendedExpiry(ready(), { ...limits, maxLifetimeMs: H }, 0)).toBe(4 * H);
  });
  it('canExtend is false at the maximum unless the lab is about to be idle-destroyed', () => {
    expect(labTime(ready({ expiresAt: 8 * H, lastActiveAt: 7.5 * H }), limits, 7.6 * H)).toMatchObject({ endsBy: 'expiry', canExtend: false });
  });
});
