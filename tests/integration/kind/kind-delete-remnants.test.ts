// `kind delete cluster` on a packetwalk kind lab removes only the node containers (kind finds them by its cluster
// label). One reaper pass then removes what kind left: the jumpbox, the toolboxes and the per-cluster network.
// The "nodes" here are plain containers carrying kind's labels: what matters is what kind and the reaper see, not
// kubelet. Run twice: with the kind CLI itself where it is on PATH, and by doing what kind's docker provider does
// (`docker rm -f -v` of every container with the cluster label) everywhere.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterNameForLab } from '../../../lab-runner/kind/cluster-name.ts';
import { KindLabels } from '../../../lab-runner/kind/kind-labels.ts';
import { chooseNetwork, kindNetworkSpec } from '../../../lab-runner/kind/kind-network.ts';
import { Labels, labLabels } from '../../../lab-runner/labels.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';
import { KIND_CLI_MISSING, kindCli, kindCliVersion, lines } from './kind-cli.ts';

const engines: TestEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.cleanup()));
});

type DeleteNodes = (t: TestEngine, clusterName: string, nodeNames: string[]) => Promise<void>;

/** What kind's docker provider does for `kind delete cluster`: remove every container with the cluster label. */
const asKindDoes: DeleteNodes = async ({ engine: { runtime } }, clusterName) => {
  for (const c of await runtime.listContainers({ [KindLabels.cluster]: clusterName })) await runtime.removeContainer(c.id);
};

/** The kind CLI itself: it must list the cluster and exactly its nodes (not the jumpbox or toolboxes), then delete. */
const withKindCli: DeleteNodes = async (_t, clusterName, nodeNames) => {
  expect(lines(await kindCli(['get', 'clusters']))).toContain(clusterName);
  expect(lines(await kindCli(['get', 'nodes', '--name', clusterName]))).toEqual([...nodeNames].sort());
  const dir = mkdtempSync(path.join(tmpdir(), 'pw-kind-cli-'));
  try {
    // Its own kubeconfig: kind delete also removes the cluster's context from the kubeconfig it is given.
    await kindCli(['delete', 'cluster', '--name', clusterName, '--kubeconfig', path.join(dir, 'config')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(lines(await kindCli(['get', 'clusters']))).not.toContain(clusterName);
};

if (!kindCliVersion) process.stdout.write(`kind delete cluster with the kind CLI: skipped — ${KIND_CLI_MISSING}\n`);

describe('after kind delete cluster', () => {
  it.for([
    { how: 'removing the labelled containers as kind does', deleteNodes: asKindDoes, skip: undefined },
    { how: `the kind CLI (${kindCliVersion ?? 'absent'})`, deleteNodes: withKindCli, skip: kindCliVersion ? undefined : KIND_CLI_MISSING },
  ])('one reaper pass removes the jumpbox, toolboxes and cluster network of a kind lab whose nodes are gone: $how', async ({ deleteNodes, skip }, ctx) => {
    if (skip) ctx.skip(skip);
    const t = makeTestEngine();
    engines.push(t);
    const { runtime, store, reaper } = t.engine;
    const labId = `lab-kdel${Date.now().toString(36).slice(-4)}`;
    const clusterName = clusterNameForLab(labId);
    const now = new Date();
    const expiresAt = new Date(Date.now() + 3600_000);
    const labels = labLabels({ labId, learnerId: 'l', template: 'kind-default', expiresAt, storeId: store.storeId });
    const net = await runtime.createNetwork(
      kindNetworkSpec({ choice: chooseNetwork('per-cluster', clusterName, {}), clusterName, labLabels: labels, internal: true }),
    );
    const mk = async (name: string, extra: Record<string, string>) =>
      (
        await runtime.createContainer({
          name,
          image: 'packetwalk/node:latest',
          labels: { ...labels, ...extra },
          network: net.name,
          entrypoint: ['sleep', 'infinity'],
        })
      ).id;
    const cp = await mk(`${clusterName}-control-plane`, { [KindLabels.cluster]: clusterName, [KindLabels.role]: 'control-plane', [Labels.role]: 'node' });
    const worker = await mk(`${clusterName}-worker`, { [KindLabels.cluster]: clusterName, [KindLabels.role]: 'worker', [Labels.role]: 'node' });
    const jumpbox = await mk(`${clusterName}-jumpbox`, { [Labels.role]: 'jumpbox' });
    const toolbox = await mk(`${clusterName}-node1-toolbox`, { [Labels.role]: 'toolbox' });
    await store.insertPending(
      {
        id: labId,
        learnerId: 'l',
        template: 'kind-default',
        createdAt: now,
        expiresAt,
        lastActiveAt: now,
        state: 'pending',
        progress: { step: 13, totalSteps: 13, label: '' },
      },
      { runtime: 'kind', owner: 'elsewhere:1' },
      { maxTotal: 100, maxPerLearner: 100 },
    );
    await store.markReady(labId, {
      networkId: net.id,
      targets: [{ name: 'jumpbox', kind: 'jumpbox', title: 'jumpbox', containerId: jumpbox, containerName: `${clusterName}-jumpbox` }],
      readyAt: now,
    });

    // A pass with the nodes present changes nothing.
    expect((await reaper.runOnce()).vanished).toEqual([]);

    await deleteNodes(t, clusterName, [`${clusterName}-control-plane`, `${clusterName}-worker`]);
    expect([await runtime.inspectContainer(cp), await runtime.inspectContainer(worker)]).toEqual([undefined, undefined]);

    const report = await reaper.runOnce();
    expect(report.vanished).toEqual([labId]);
    expect(await runtime.inspectContainer(jumpbox)).toBeUndefined();
    expect(await runtime.inspectContainer(toolbox)).toBeUndefined();
    expect(await runtime.inspectNetwork(net.id)).toBeUndefined();
    expect(await store.get(labId)).toMatchObject({ state: 'destroyed', reason: 'its kind nodes were deleted' });
  });
});
