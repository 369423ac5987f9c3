// Things that go wrong, and the errors people get: no Docker, a missing image, a name clash, no subnet left,
// caps and memory pressure, a node dying mid-provision. Every failed create leaves nothing behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { CapacityError, DockerUnavailableError, ImageMissingError, LabRunnerError, ProvisionError } from '../../../lab-runner/errors.ts';
import { Labels, labLabels } from '../../../lab-runner/labels.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import { makeTestEngine, type TestEngine } from './lab-engine-fixture.ts';

const engines: TestEngine[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.cleanup()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const track = (e: TestEngine) => (engines.push(e), e);

/** A sandboxes directory holding one template, for scenarios the shipped templates do not cover. */
function catalogWith(name: string, yaml: string): SandboxCatalog {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-sandboxes-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'sandbox.yaml'), yaml);
  return new SandboxCatalog(dir);
}

async function withDockerHost<T>(host: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = host;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}

describe('bad situations', () => {
  it('Docker not reachable: the error says how to start it or set DOCKER_HOST', async () => {
    for (const host of ['unix:///tmp/packetwalk-no-docker-here.sock', 'tcp://127.0.0.1:1']) {
      const err = await withDockerHost(host, () =>
        new DockerRuntime().ping().then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      expect(err).toBeInstanceOf(DockerUnavailableError);
      expect((err as Error).message).toContain(host);
      expect((err as Error).message).toMatch(/systemctl start docker|DOCKER_HOST/);
    }
    const listErr = await withDockerHost('unix:///tmp/packetwalk-no-docker-here.sock', () =>
      new DockerRuntime().listContainers({}).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(listErr).toBeInstanceOf(DockerUnavailableError);
  });

  it('image missing: says to run "npm run images", and nothing is left behind', async () => {
    const catalog = catalogWith(
      'ghost',
      'name: ghost\ntitle: Ghost\nruntime: nodes\nnodes:\n  - name: node1\n    image: packetwalk/not-built-anywhere:latest\n',
    );
    const t = track(makeTestEngine({}, { catalog }));
    const err = await t.engine.labs.create({ template: 'ghost', learnerId: 'a' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImageMissingError);
    expect((err as Error).message).toMatch(/packetwalk\/not-built-anywhere:latest.*npm run images/);
    expect(await t.labelled()).toEqual({ containers: [], networks: [] });
    expect((await t.engine.labs.list())[0]?.state).toBe('failed');
  });

  it('name clash: a container or network name already taken is a clear error', async () => {
    const runtime = new DockerRuntime();
    const labels = labLabels({ labId: 'lab-clashxx1', learnerId: 'x', template: 't', expiresAt: new Date(Date.now() + 600_000), storeId: 'test-clash' });
    const net = await runtime.createNetwork({ name: 'pw-lab-clashxx1-lan', internal: true, labels });
    try {
      await expect(runtime.createNetwork({ name: 'pw-lab-clashxx1-lan', internal: true, labels })).rejects.toThrow(
        /network named pw-lab-clashxx1-lan already exists/,
      );
      const spec = { name: 'pw-lab-clashxx1-node1', image: 'packetwalk/node:latest', labels, network: net.name };
      await runtime.createContainer(spec);
      const err = await runtime.createContainer(spec).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LabRunnerError);
      expect((err as LabRunnerError).code).toBe('name-conflict');
      expect((err as Error).message).toMatch(/container named pw-lab-clashxx1-node1 already exists.*docker rm -f/);
    } finally {
      const { teardownByLabel } = await import('../../../lab-runner/lab/teardown-by-label.ts');
      await teardownByLabel(runtime, { [Labels.labId]: 'lab-clashxx1' });
    }
  });

  it('subnet pool exhausted: a capacity error that names LAB_SUBNET_POOL, and the failed lab leaks nothing', async () => {
    const t = track(makeTestEngine({ LAB_SUBNET_POOL: '10.201.7.0/27', LAB_SUBNET_PREFIX: 27 }));
    const first = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'a' });
    const err = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'b' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CapacityError);
    expect((err as Error).message).toMatch(/No free \/27 subnet left in LAB_SUBNET_POOL 10\.201\.7\.0\/27/);
    const left = await t.labelled();
    expect(left.containers).toEqual([`pw-${first.id}-node1`]);
    expect(left.networks).toEqual([`pw-${first.id}-lan`]);
  });

  it('caps per learner and in total, and memory pressure, refuse with actionable messages', async () => {
    let available = 8 * 1024 ** 3;
    const t = track(
      makeTestEngine({ LAB_MAX_PER_LEARNER: 1, LAB_MAX_TOTAL: 2, LAB_MIN_FREE_MEMORY_MB: 512 }, { memory: { availableBytes: async () => available } }),
    );
    const mine = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'alice' });
    await expect(t.engine.labs.create({ template: 'nodes-1', learnerId: 'alice' })).rejects.toThrow(
      new RegExp(`already have 1 running lab \\(${mine.id}\\); the limit is 1`),
    );
    await t.engine.labs.create({ template: 'nodes-1', learnerId: 'bob' });
    await expect(t.engine.labs.create({ template: 'nodes-1', learnerId: 'carol' })).rejects.toThrow(/All 2 lab slots .* LAB_MAX_TOTAL/);
    await t.engine.labs.destroy(mine.id, 'make room');
    available = 100 * 1024 * 1024;
    await expect(t.engine.labs.create({ template: 'nodes-1', learnerId: 'carol' })).rejects.toThrow(
      /short of memory \(100 MiB available, 512 MiB kept in reserve by LAB_MIN_FREE_MEMORY_MB\)/,
    );
    expect((await t.labelled()).containers).toHaveLength(1);
  });

  it('a node dying mid-provision fails the create, tears the lab down and records why', async () => {
    const catalog = catalogWith(
      'slow-setup',
      'name: slow-setup\ntitle: Slow setup\nruntime: nodes\nnodes:\n  - name: node1\n  - name: node2\nsetup:\n  - target: node2\n    script: sleep 60\n    timeout: 90s\n',
    );
    const t = track(makeTestEngine({}, { catalog }));
    let killed = false;
    const err = await t.engine.labs
      .create({
        template: 'slow-setup',
        learnerId: 'a',
        onEvent: (e) => {
          if (e.type === 'progress' && e.progress.label === 'Running setup' && !killed) {
            killed = true;
            // Like the OOM killer or a host problem taking the node out while setup runs on it.
            void t.engine.runtime
              .listContainers({ [Labels.labId]: e.labId, [Labels.node]: 'node2' })
              .then((cs) => Promise.all(cs.map((c) => t.engine.runtime.stopContainer(c.id, 0))));
          }
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(killed).toBe(true);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as Error).message).toMatch(/setup 1 on node2/);
    expect(await t.labelled()).toEqual({ containers: [], networks: [] });
    const [rec] = await t.engine.labs.list();
    expect(rec?.state).toBe('failed');
  });
});
