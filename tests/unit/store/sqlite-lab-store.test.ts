// The lab store on real SQLite files: caps are atomic, claims never double-assign (even from 10 connections at
// once), state transitions only go where they may, and everything survives a reopen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CapacityError } from '../../../lab-runner/errors.ts';
import type { PendingLab } from '../../../lab-runner/lab/lab.ts';
import { POOL_LEARNER } from '../../../lab-runner/labels.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { SqliteLabStore } from '../../../lab-runner/store/sqlite-lab-store.ts';

let dir: string;
let store: SqliteLabStore;
const caps = { maxTotal: 10, maxPerLearner: 2 };
const extras = { runtime: 'nodes', owner: 'host:1' };

function pending(id: string, learnerId: string, template = 'nodes-2', createdAt = new Date()): PendingLab {
  return {
    id,
    learnerId,
    template,
    createdAt,
    expiresAt: new Date(+createdAt + 3_600_000),
    lastActiveAt: createdAt,
    state: 'pending',
    progress: { step: 0, totalSteps: 3, label: 'Queued' },
  };
}
const target = (name: string) => ({ name, kind: 'node' as const, title: name, containerId: `c-${name}`, containerName: `pw-${name}` });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-store-'));
  store = new SqliteLabStore(dir);
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SqliteLabStore', () => {
  it('walks a lab through pending -> ready -> paused -> ready -> destroyed, and keeps it across a reopen', async () => {
    await store.insertPending(pending('lab-aaaaaaaa', 'alice'), extras, caps);
    await store.setProgress('lab-aaaaaaaa', { step: 2, totalSteps: 3, label: 'Starting' });
    expect(await store.get('lab-aaaaaaaa')).toMatchObject({ state: 'pending', progress: { step: 2 }, runtime: 'nodes', owner: 'host:1' });
    const ready = await store.markReady('lab-aaaaaaaa', { networkId: 'net1', targets: [target('node1')], readyAt: new Date() });
    expect(ready).toMatchObject({ state: 'ready', networkId: 'net1', targets: [{ name: 'node1' }] });
    await store.markPaused('lab-aaaaaaaa', new Date());
    expect((await store.get('lab-aaaaaaaa'))?.state).toBe('paused');
    await store.markResumed('lab-aaaaaaaa');
    expect((await store.get('lab-aaaaaaaa'))?.state).toBe('ready');
    await store.markDestroyed('lab-aaaaaaaa', 'done', new Date(1000));
    await store.markDestroyed('lab-aaaaaaaa', 'again', new Date(2000));
    await store.close();
    store = new SqliteLabStore(dir);
    expect(await store.get('lab-aaaaaaaa')).toMatchObject({ state: 'destroyed', reason: 'done', destroyedAt: new Date(1000) });
    expect(await store.list()).toEqual([]);
    expect(await store.list({ includeDestroyed: true })).toHaveLength(1);
  });

  it('markReady on a lab destroyed meanwhile changes nothing and says so', async () => {
    await store.insertPending(pending('lab-bbbbbbbb', 'alice'), extras, caps);
    await store.markDestroyed('lab-bbbbbbbb', 'user', new Date());
    expect(await store.markReady('lab-bbbbbbbb', { networkId: 'n', targets: [], readyAt: new Date() })).toBeUndefined();
    expect((await store.get('lab-bbbbbbbb'))?.state).toBe('destroyed');
  });

  it('enforces per-learner and total caps atomically; pool labs count only towards the total', async () => {
    await store.insertPending(pending('lab-a1', 'alice'), extras, caps);
    await store.insertPending(pending('lab-a2', 'alice'), extras, caps);
    await expect(store.insertPending(pending('lab-a3', 'alice'), extras, caps)).rejects.toThrow(CapacityError);
    await expect(store.insertPending(pending('lab-a3', 'alice'), extras, caps)).rejects.toThrow(
      /already have 2 running labs \(lab-a1, lab-a2\); the limit is 2/,
    );
    for (let i = 0; i < 8; i++) await store.insertPending(pending(`lab-p${i}`, POOL_LEARNER), extras, caps);
    await expect(store.insertPending(pending('lab-b1', 'bob'), extras, caps)).rejects.toThrow(/All 10 lab slots/);
    await store.markFailed('lab-a1', 'boom');
    await store.insertPending(pending('lab-b1', 'bob'), extras, caps);
  });

  it('hands the oldest ready pool lab to a learner, re-owning it and extending its expiry', async () => {
    const t0 = new Date(Date.now() - 60_000);
    await store.insertPending(pending('lab-old', POOL_LEARNER, 'nodes-2', t0), extras, caps);
    await store.insertPending(pending('lab-new', POOL_LEARNER), extras, caps);
    await store.insertPending(pending('lab-n1', POOL_LEARNER, 'nodes-1'), extras, caps);
    for (const id of ['lab-old', 'lab-new', 'lab-n1']) await store.markReady(id, { networkId: 'n', targets: [target('node1')], readyAt: new Date() });
    const now = new Date();
    const claimed = await store.claimPoolLab('nodes-2', 'carol', now, new Date(+now + 7_200_000), 2);
    expect(claimed).toMatchObject({ id: 'lab-old', learnerId: 'carol', claimedAt: now, expiresAt: new Date(+now + 7_200_000), lastActiveAt: now });
    expect((await store.claimPoolLab('nodes-2', 'dave', now, now, 2))?.id).toBe('lab-new');
    expect(await store.claimPoolLab('nodes-2', 'erin', now, now, 2)).toBeUndefined();
    await expect(store.claimPoolLab('nodes-1', 'carol', now, now, 1)).rejects.toThrow(/limit is 1/);
  });

  it('10 connections claiming at the same instant never get the same lab', async () => {
    for (let i = 0; i < 4; i++) {
      await store.insertPending(pending(`lab-pool${i}`, POOL_LEARNER), extras, caps);
      await store.markReady(`lab-pool${i}`, { networkId: 'n', targets: [], readyAt: new Date() });
    }
    const start = new Int32Array(new SharedArrayBuffer(4));
    const workers = Array.from(
      { length: 10 },
      (_, i) => new Worker(new URL('./fixtures/claim-worker.ts', import.meta.url), { workerData: { dataDir: dir, learnerId: `learner-${i}`, start } }),
    );
    const ready = workers.map((w) => new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
    await Promise.all(ready);
    const results = workers.map((w) => new Promise<string | null>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
    Atomics.store(start, 0, 1);
    Atomics.notify(start, 0);
    const ids = await Promise.all(results);
    const got = ids.filter((x): x is string => x !== null);
    expect(got.sort()).toEqual(['lab-pool0', 'lab-pool1', 'lab-pool2', 'lab-pool3']);
    const owners = await Promise.all(got.map(async (id) => (await store.get(id))?.learnerId));
    expect(new Set(owners).size).toBe(4);
    expect(owners.every((o) => o && o !== POOL_LEARNER)).toBe(true);
  });

  it('gives each database its own stable store id, and migrations run once', async () => {
    const id = store.storeId;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const db = openDatabase(dir);
    const applied = db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number };
    db.close();
    await store.close();
    store = new SqliteLabStore(dir);
    expect(store.storeId).toBe(id);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-store-'));
    const s2 = new SqliteLabStore(other);
    expect(s2.storeId).not.toBe(id);
    await s2.close();
    fs.rmSync(other, { recursive: true, force: true });
    const again = openDatabase(dir);
    expect((again.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(applied.n);
    expect((again.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    again.close();
  });

  it('purges old history but never live labs', async () => {
    await store.insertPending(pending('lab-live', 'alice'), extras, caps);
    await store.insertPending(pending('lab-gone', 'alice'), extras, caps);
    await store.markDestroyed('lab-gone', 'x', new Date(Date.now() - 10 * 86_400_000));
    expect(await store.purgeBefore(new Date(Date.now() - 86_400_000))).toBe(1);
    expect(await store.get('lab-gone')).toBeUndefined();
    expect(await store.get('lab-live')).toBeDefined();
  });
});
