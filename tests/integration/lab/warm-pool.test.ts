// The warm pool: ready labs waiting per template, claimed by learners in one store transaction, refilled in the
// background. Ten learners claiming at once never share a lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POOL_LEARNER } from '../../../lab-runner/labels.ts';
import { makeTestEngine, type TestEngine } from './lab-engine-fixture.ts';

describe('warm pool', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = makeTestEngine({ WARM_POOL: { 'nodes-1': 5 } });
    t.engine.pool.refillAll();
    await t.engine.pool.settled();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('fills up to the configured size with ready labs owned by "pool"', async () => {
    const pool = await t.engine.store.list({ learnerId: POOL_LEARNER });
    expect(pool).toHaveLength(5);
    expect(pool.every((l) => l.state === 'ready')).toBe(true);
  });

  it('10 concurrent claims: 5 get distinct warm labs, 5 get new ones, nobody shares', async () => {
    const warmIds = new Set((await t.engine.store.list({ learnerId: POOL_LEARNER })).map((l) => l.id));
    const learners = Array.from({ length: 10 }, (_, i) => `learner-${i}`);
    const labs = await Promise.all(learners.map((learnerId) => t.engine.labs.create({ template: 'nodes-1', learnerId })));
    const ids = labs.map((l) => l.id);
    expect(new Set(ids).size).toBe(10);
    const fromPool = ids.filter((id) => warmIds.has(id));
    expect(fromPool).toHaveLength(5);
    for (const [i, lab] of labs.entries()) {
      const rec = await t.engine.store.get(lab.id);
      expect(rec?.learnerId).toBe(learners[i]);
      expect(rec?.state).toBe('ready');
    }
    // Every claimed lab really works for its new owner.
    const hostnames = await Promise.all(labs.map((l) => t.engine.labs.exec(l.id, 'node1', { cmd: ['hostname'] })));
    expect(hostnames.every((r) => r.stdout === 'node1\n')).toBe(true);
  });

  it('a claim extends the lab to a full hard expiry from the claim', async () => {
    await t.engine.pool.settled();
    const before = Date.now();
    const lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'late-learner' });
    const rec = await t.engine.store.get(lab.id);
    expect(rec?.claimedAt).toBeDefined();
    expect(+rec!.expiresAt).toBeGreaterThanOrEqual(before + t.config.LAB_HARD_EXPIRY - 1000);
  });

  it('refills in the background after claims', async () => {
    await t.engine.pool.settled();
    const pool = await t.engine.store.list({ learnerId: POOL_LEARNER, states: ['ready'] });
    expect(pool).toHaveLength(5);
  });

  it('a warm lab whose node died is discarded at claim, not handed out', async () => {
    await t.engine.pool.settled();
    const pool = await t.engine.store.list({ learnerId: POOL_LEARNER, states: ['ready'] });
    // Kill the oldest (the next to be claimed).
    const oldest = pool[0]!;
    if (oldest.state !== 'ready') throw new Error('expected a ready pool lab');
    await t.engine.runtime.stopContainer(oldest.targets[0]!.containerId, 0);
    const lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'unlucky' });
    expect(lab.id).not.toBe(oldest.id);
    expect((await t.engine.labs.exec(lab.id, 'node1', { cmd: ['true'] })).exitCode).toBe(0);
    await t.engine.pool.settled();
    const dead = await t.engine.store.get(oldest.id);
    expect(dead).toMatchObject({ state: 'destroyed', reason: 'warm-pool lab unusable at claim' });
  });
});

describe('warm pool at shutdown', () => {
  it('closing the engine destroys its unclaimed warm labs but leaves claimed ones running', async () => {
    const t = makeTestEngine({ WARM_POOL: { 'nodes-1': 2 } });
    try {
      t.engine.pool.refillAll();
      await t.engine.pool.settled();
      const claimed = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'keeper' });
      await t.engine.pool.settled();
      const warm = (await t.engine.store.list({ learnerId: POOL_LEARNER, states: ['ready'] })).map((l) => l.id);
      expect(warm).toHaveLength(2);
      await t.engine.close();
      const after = makeTestEngine({}, {}, t.dataDir);
      try {
        for (const id of warm) expect(await after.engine.store.get(id)).toMatchObject({ state: 'destroyed', reason: 'warm pool drained at shutdown' });
        expect((await after.engine.store.get(claimed.id))?.state).toBe('ready');
        expect((await after.labelled()).containers).toEqual([`pw-${claimed.id}-node1`]);
      } finally {
        await after.cleanup();
      }
    } finally {
      await t.cleanup().catch(() => undefined);
    }
  });
});
