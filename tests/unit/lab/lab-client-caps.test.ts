// Per-client caps in the real SQLite store: learners are free to mint (a cookie each), clients are not. A client
// holds at most maxPerClient labs, and the last reservedSlots free slots go only to clients holding none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapacityError } from '../../../lab-runner/errors.ts';
import type { PendingLab } from '../../../lab-runner/lab/lab.ts';
import { POOL_LEARNER } from '../../../lab-runner/labels.ts';
import { SqliteLabStore } from '../../../lab-runner/store/sqlite-lab-store.ts';
import { clientCaps } from '../../../lab-runner/lab/lab-engine.ts';

let dir: string;
let store: SqliteLabStore;
const extras = (clientKey?: string) => ({ runtime: 'nodes', owner: 'host:1', clientKey });

function pending(id: string, learnerId: string): PendingLab {
  const now = new Date();
  return {
    id,
    learnerId,
    template: 'nodes-2',
    createdAt: now,
    expiresAt: new Date(+now + 3_600_000),
    lastActiveAt: now,
    state: 'pending',
    progress: { step: 0, totalSteps: 1, label: 'Queued' },
  };
}

async function capacityError(p: Promise<unknown>): Promise<CapacityError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CapacityError);
  return err as CapacityError;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-client-caps-'));
  store = new SqliteLabStore(dir);
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('per-client lab caps', () => {
  it('a script minting learners from one address takes at most its share, and the last slot goes to someone else', async () => {
    // The server: LAB_MAX_TOTAL=3, defaults for the rest.
    const caps = { maxTotal: 3, maxPerLearner: 2, ...clientCaps({ LAB_MAX_TOTAL: 3, LAB_MAX_PER_CLIENT: undefined, LAB_RESERVED_SLOTS: undefined }) };
    expect(caps).toMatchObject({ maxPerClient: 2, reservedSlots: 1 });
    await store.insertPending(pending('lab-s1', 'minted-1'), extras('ip:198.51.100.7'), caps);
    await store.insertPending(pending('lab-s2', 'minted-2'), extras('ip:198.51.100.7'), caps);
    const third = await capacityError(store.insertPending(pending('lab-s3', 'minted-3'), extras('ip:198.51.100.7'), caps));
    expect(third.scope).toBe('client');
    expect(third.message).toMatch(/already holds 2 running labs.*LAB_MAX_PER_CLIENT=2/);
    // A learner at another address still gets the last slot.
    await store.insertPending(pending('lab-h1', 'honest'), extras('ip:203.0.113.9'), caps);
    const full = await capacityError(store.insertPending(pending('lab-h2', 'late'), extras('ip:203.0.113.10'), caps));
    expect(full.scope).toBe('server');
    expect(full.retryAfterSeconds).toBe(60);
    expect(full.message).toMatch(/All 3 lab slots .* Try again in a minute.* At the latest a slot frees at \d\d:\d\d UTC/);
  });

  it('the reserved slots go only to clients that hold no lab yet', async () => {
    const caps = { maxTotal: 10, maxPerLearner: 5, maxPerClient: 10, reservedSlots: 2 };
    for (let i = 0; i < 8; i++) await store.insertPending(pending(`lab-a${i}`, `minted-${i}`), extras('ip:198.51.100.7'), caps);
    const err = await capacityError(store.insertPending(pending('lab-a8', 'minted-8'), extras('ip:198.51.100.7'), caps));
    expect(err.scope).toBe('server');
    expect(err.message).toMatch(/last 2 lab slots are kept for learners who have no lab yet, and your network address already holds 8/);
    await store.insertPending(pending('lab-b', 'bob'), extras('ip:203.0.113.9'), caps);
    await store.insertPending(pending('lab-c', 'carol'), extras('ip:203.0.113.10'), caps);
  });

  it('warm-pool claims count too, and labs without a client (CLI, pool) are not subject to client caps', async () => {
    const caps = { maxTotal: 4, maxPerLearner: 5, maxPerClient: 1, reservedSlots: 0 };
    await store.insertPending(pending('lab-p1', POOL_LEARNER), extras(), caps);
    await store.markReady('lab-p1', { networkId: 'n', targets: [], readyAt: new Date() });
    await store.insertPending(pending('lab-x', 'minted-1'), extras('ip:198.51.100.7'), caps);
    const client = { clientKey: 'ip:198.51.100.7', maxTotal: 4, maxPerClient: 1, reservedSlots: 0 };
    const err = await capacityError(store.claimPoolLab('nodes-2', 'minted-2', new Date(), new Date(Date.now() + 3_600_000), 5, client));
    expect(err.scope).toBe('client');
    const claimed = await store.claimPoolLab('nodes-2', 'other', new Date(), new Date(Date.now() + 3_600_000), 5, { ...client, clientKey: 'ip:203.0.113.9' });
    expect(claimed).toMatchObject({ id: 'lab-p1', learnerId: 'other', clientKey: 'ip:203.0.113.9' });
    await store.insertPending(pending('lab-cli1', 'cli-user'), extras(), caps);
    await store.insertPending(pending('lab-cli2', 'cli-user'), extras(), caps);
  });
});

describe('capacity answers', () => {
  it('the learner or client limit is 429; a full server is 503 with Retry-After', async () => {
    const { errorResponse } = await import('../../../app/api/_lib/error-response.ts');
    const own = errorResponse(new CapacityError('Your network address already holds 2 running labs', 'client'));
    expect(own.status).toBe(429);
    expect(own.headers.get('retry-after')).toBeNull();
    expect(await own.json()).toMatchObject({ code: 'client-limit', error: expect.stringMatching(/already holds 2 running labs/) });
    const full = errorResponse(new CapacityError('All 3 lab slots on this server are in use. Try again in a minute.', 'server', 60));
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('60');
    expect(await full.json()).toMatchObject({ code: 'capacity', retryAfter: 60, error: expect.stringMatching(/Try again in a minute/) });
  });
});
