// 200 create/destroy cycles of nodes-2, five at a time, leave no container, network, host rule or live record behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAgentFor } from '../../../lab-runner/host-agent/host-agent.ts';
import { makeTestEngine, type TestEngine } from './lab-engine-fixture.ts';

const CYCLES = 200;
const CONCURRENCY = 5;

describe('create/destroy cycles', () => {
  let t: TestEngine;
  beforeAll(() => {
    t = makeTestEngine();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it(`${CYCLES} cycles leave zero leaks`, { timeout: 900_000 }, async () => {
    const started = performance.now();
    let next = 0;
    const worker = async (w: number) => {
      while (next < CYCLES) {
        const i = next++;
        const lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: `leaky-${w}` });
        if (i % 50 === 0) {
          const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['ping', '-c1', '-W2', 'node2'] });
          expect(r.exitCode).toBe(0);
        }
        await t.engine.labs.destroy(lab.id, 'cycle');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`[leak] ${CYCLES} create/destroy cycles (x${CONCURRENCY} concurrent) in ${seconds.toFixed(1)} s\n`);
    expect(await t.labelled()).toEqual({ containers: [], networks: [] });
    expect(await t.engine.store.listLive()).toEqual([]);
    const all = await t.engine.labs.list({ includeDestroyed: true });
    expect(all).toHaveLength(CYCLES);
    expect(all.every((l) => l.state === 'destroyed')).toBe(true);
    const ids = new Set(all.map((l) => l.id));
    expect((await hostAgentFor(t.engine.runtime).listRules()).filter((r) => ids.has(r.labId))).toEqual([]);
  });
});
