// The reaper reconciles Docker with the store: crashed provisioning, orphans, expiry, idleness, vanished
// containers, and other stores' objects (left alone until their expires-at).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { Labels, labLabels } from '../../../lab-runner/labels.ts';
import type { LabEvent } from '../../../lab-runner/lab/lab.ts';
import { labNetworkSpec } from '../../../lab-runner/nodes/lab-network-spec.ts';
import { makeTestEngine, type TestEngine } from './lab-engine-fixture.ts';

const CHILD = path.join(import.meta.dirname, 'fixtures', 'create-lab-child.ts');
const engines: TestEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.cleanup()));
});

function track(e: TestEngine): TestEngine {
  engines.push(e);
  return e;
}

/**
 * Spawns the child and SIGKILLs it mid-provision: once it reports provisioning step `step`, and (with
 * waitForContainer) once Docker shows one of its containers. Resolves with the id of the lab it was creating.
 */
async function createAndKill(dataDir: string, t: TestEngine, opts: { step: number; waitForContainer: boolean }): Promise<string> {
  const child = spawn(process.execPath, [CHILD, dataDir, 'nodes-2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let labId: string | undefined;
  const exited = new Promise((r) => child.once('exit', r));
  for await (const line of createInterface({ input: child.stdout! })) {
    const e = JSON.parse(line) as LabEvent | { type: 'done' };
    if (e.type === 'done') throw new Error('the child finished before it could be killed');
    labId = e.labId;
    if (e.type === 'progress' && e.progress.step === opts.step) {
      while (opts.waitForContainer && (await t.labelled()).containers.length === 0) await new Promise((r) => setImmediate(r));
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  if (!labId) throw new Error('child reported no lab');
  return labId;
}

describe('reaper', () => {
  it('after a SIGKILL mid-create, one pass on restart leaves zero labelled resources', async () => {
    const t = track(makeTestEngine());
    // Killed while its nodes are being created and started.
    const labId = await createAndKill(t.dataDir, t, { step: 2, waitForContainer: false });
    expect((await t.engine.store.get(labId))?.state).toBe('pending');
    // "Restart": a fresh engine on the same DATA_DIR, one reaper pass.
    const restarted = makeTestEngine({}, {}, t.dataDir);
    const report = await restarted.engine.reaper.runOnce();
    expect(report.abandonedPending).toContain(labId);
    expect(await restarted.labelled()).toEqual({ containers: [], networks: [] });
    expect((await restarted.engine.store.get(labId))?.state).toBe('failed');
    await restarted.engine.close();
  });

  it('also when killed with a node already created', async () => {
    const t = track(makeTestEngine());
    const labId = await createAndKill(t.dataDir, t, { step: 2, waitForContainer: true });
    expect((await t.engine.store.get(labId))?.state, 'killed too late: the lab was already ready').toBe('pending');
    expect((await t.labelled()).containers.length).toBeGreaterThan(0);
    const restarted = makeTestEngine({}, {}, t.dataDir);
    await restarted.engine.reaper.runOnce();
    expect(await restarted.labelled()).toEqual({ containers: [], networks: [] });
    expect((await restarted.engine.store.get(labId))?.state).toBe('failed');
    await restarted.engine.close();
  });

  it('removes objects of its store that have no record, and leaves other stores alone until they expire', async () => {
    const t = track(makeTestEngine());
    const { runtime, store } = t.engine;
    const mk = async (labId: string, storeId: string, expiresAt: Date) => {
      const labels = labLabels({ labId, learnerId: 'x', template: 'nodes-1', expiresAt, storeId });
      const net = await runtime.createNetwork(labNetworkSpec({ labId, name: 'lan', egress: false, labels }));
      await runtime.createContainer({ name: `pw-${labId}-node1`, image: 'packetwalk/node:latest', labels, network: net.name });
    };
    const soon = new Date(Date.now() + 3_600_000);
    await mk('lab-orphan01', store.storeId, soon);
    await mk('lab-foreign1', `${store.storeId}x`, soon);
    await mk('lab-foreign2', `${store.storeId}x`, new Date(Date.now() - 1000));
    try {
      const report = await t.engine.reaper.runOnce();
      expect(report.orphansRemoved).toEqual(['lab-orphan01']);
      expect(report.foreignExpiredRemoved).toEqual(['lab-foreign2']);
      const left = await runtime.listContainers({ [Labels.managed]: 'true' });
      const names = left.map((c) => c.name);
      expect(names).toContain('pw-lab-foreign1-node1');
      expect(names).not.toContain('pw-lab-orphan01-node1');
      expect(names).not.toContain('pw-lab-foreign2-node1');
      expect(await runtime.listNetworks({ [Labels.labId]: 'lab-orphan01' })).toEqual([]);
    } finally {
      const { teardownByLabel } = await import('../../../lab-runner/lab/teardown-by-label.ts');
      await teardownByLabel(runtime, { [Labels.labId]: 'lab-foreign1' });
    }
  });

  it('pauses idle labs, destroys long-idle and expired ones, and records labs whose containers vanished', async () => {
    let now = Date.now();
    const t = track(makeTestEngine({ LAB_IDLE_PAUSE: 60_000, LAB_IDLE_DESTROY: 600_000, LAB_HARD_EXPIRY: 3_600_000 }, { clock: () => new Date(now) }));
    const { labs, reaper, runtime } = t.engine;
    const [idle, busy, vanishing] = await Promise.all([
      labs.create({ template: 'nodes-1', learnerId: 'a' }),
      labs.create({ template: 'nodes-1', learnerId: 'b' }),
      labs.create({ template: 'nodes-1', learnerId: 'c' }),
    ]);
    await runtime.removeContainer(vanishing.targets[0]!.containerId);

    now += 120_000;
    await labs.touch(busy.id);
    let report = await reaper.runOnce();
    expect(report.paused).toEqual([idle.id]);
    expect(report.vanished).toEqual([vanishing.id]);
    expect((await labs.get(idle.id))?.state).toBe('paused');
    expect((await runtime.inspectContainer(idle.targets[0]!.containerId))?.state).toBe('paused');
    expect((await labs.get(busy.id))?.state).toBe('ready');
    expect(await labs.get(vanishing.id)).toMatchObject({ state: 'destroyed', reason: 'its containers disappeared' });

    now += 600_000;
    await labs.touch(busy.id);
    report = await reaper.runOnce();
    expect(report.idleDestroyed).toEqual([idle.id]);
    expect(await labs.get(idle.id)).toMatchObject({ state: 'destroyed', reason: 'idle' });

    now += 3_600_000;
    await labs.touch(busy.id);
    report = await reaper.runOnce();
    expect(report.expired).toEqual([busy.id]);
    expect(await labs.get(busy.id)).toMatchObject({ state: 'destroyed', reason: 'expired' });
    expect(await t.labelled()).toEqual({ containers: [], networks: [] });
  });
});
