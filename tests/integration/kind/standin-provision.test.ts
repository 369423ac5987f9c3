// The real kind provisioner run against the stand-in image (not a kind node): every step up to `kubeadm init`
// does its real work, then the stand-in's kubeadm fails — which is exactly what teardown-on-failure must handle.
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../lab-runner/errors.ts';
import type { ProvisionProgress } from '../../../lab-runner/lab/lab.ts';
import { Labels } from '../../../lab-runner/labels.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { teardownCluster } from '../../../lab-runner/kind/cluster-teardown.ts';
import { teardownByLabel } from '../../../lab-runner/lab/teardown-by-label.ts';
import { provisionKindCluster, type KindProvisionOptions } from '../../../lab-runner/kind/kind-provisioner.ts';
import { validateKindTemplate, type KindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import { runtime, standinImage, testLab } from './standin.ts';
import { KIND_CLI_MISSING, kindCli, kindCliVersion, lines } from './kind-cli.ts';

const KIND_YAML = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
  - role: worker
networking:
  kubeProxyMode: nftables
`;

const standinOptions: Partial<KindProvisionOptions> = {
  preflight: false,
  allowPull: false,
  internalNetwork: true,
  privileged: false,
  mountHostModules: false,
  startJumpbox: false,
  systemdTimeoutMs: 30_000,
  env: {},
};

describe('kind provisioner on the stand-in image (not a kind test)', () => {
  let rt: ContainerRuntime;
  let template: KindTemplate;

  beforeAll(async () => {
    rt = runtime();
    const image = await standinImage(rt);
    const t = validateKindTemplate(
      { name: 'kind-standin', title: 'stand-in', runtime: 'kind', nodeImage: DEFAULT_NODE_IMAGE, targets: [{ name: 'jumpbox', kind: 'jumpbox' }] },
      KIND_YAML,
      '/virtual/kind-standin/sandbox.yaml',
    );
    // The template is validated with a real pinned ref; the stand-in replaces it only for this host.
    template = { ...t, nodeImage: image };
  });

  const leftovers: { labId: string; clusterName: string }[] = [];
  afterAll(async () => {
    for (const l of leftovers) await teardownCluster(rt, l);
  });

  it('a failed step removes everything, and the error names the step and shows the output tail', async () => {
    const { labId, labels } = testLab('kind-fail');
    const clusterName = `pw-fail-${process.pid}`;
    leftovers.push({ labId, clusterName });
    const progress: ProvisionProgress[] = [];
    const err = await provisionKindCluster({
      runtime: rt,
      labId,
      clusterName,
      labLabels: labels,
      template,
      options: standinOptions,
      onProgress: (p) => progress.push(p),
    }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ProvisionError);
    const pe = err as ProvisionError;
    expect(pe.step).toBe('kubeadm init');
    expect(pe.message).toContain(`kubeadm init --config=/kind/kubeadm.conf --skip-token-print --v=6\` on ${clusterName}-control-plane exited with code 1`);
    expect(pe.outputTail).toContain('[init] Using Kubernetes version: v1.35.8');
    expect(pe.outputTail).toContain('the stand-in image has no kubelet');

    // Real stages, in order, never a blind spinner.
    expect(progress.map((p) => `${p.step}/${p.totalSteps} ${p.label}`)).toEqual([
      '1/13 Checking the host…',
      '2/13 Preparing the node image…',
      '3/13 Creating the cluster network…',
      '4/13 Starting node containers…',
      '5/13 Writing kubeadm configuration…',
      '6/13 Starting control plane…',
    ]);

    expect(await rt.listContainers({ [Labels.labId]: labId })).toEqual([]);
    expect(await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName })).toEqual([]);
    expect(await rt.inspectNetwork(`${clusterName}-net`)).toBeUndefined();
  });

  it('with retain, the nodes stay for debugging, each holding a kubeadm config rendered for its own address', async () => {
    const { labId, labels } = testLab('kind-retain');
    const clusterName = `pw-retain-${process.pid}`;
    leftovers.push({ labId, clusterName });
    await expect(
      provisionKindCluster({ runtime: rt, labId, clusterName, labLabels: labels, template, options: { ...standinOptions, retain: true } }),
    ).rejects.toThrow(/kubeadm init/);

    const nodes = await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName });
    expect(nodes.map((n) => n.name).sort()).toEqual([`${clusterName}-control-plane`, `${clusterName}-worker`, `${clusterName}-worker2`]);
    for (const node of nodes) {
      const r = await rt.exec(node.id, { cmd: ['cat', '/kind/kubeadm.conf'] });
      expect(r.exitCode).toBe(0);
      const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, unknown>);
      // /kind/version says v1.35.8 → v1beta3.
      expect(docs[0]).toMatchObject({
        apiVersion: 'kubeadm.k8s.io/v1beta3',
        kind: 'ClusterConfiguration',
        kubernetesVersion: 'v1.35.8',
        clusterName,
        controlPlaneEndpoint: `${clusterName}-control-plane:6443`,
      });
      const init = docs.find((d) => d.kind === 'InitConfiguration') as {
        localAPIEndpoint: { advertiseAddress: string };
        nodeRegistration: { kubeletExtraArgs: Record<string, string> };
      };
      expect(init.localAPIEndpoint.advertiseAddress).toBe(node.ipv4[`${clusterName}-net`]);
      expect(init.nodeRegistration.kubeletExtraArgs['provider-id']).toBe(`kind://docker/${clusterName}/${node.name}`);
      expect(docs.find((d) => d.kind === 'KubeProxyConfiguration')).toMatchObject({ mode: 'nftables' });
    }
    // A user's kind sees the cluster and exactly its nodes (kind get nodes lists containers by its cluster label).
    if (kindCliVersion) expect(lines(await kindCli(['get', 'nodes', '--name', clusterName]))).toEqual(nodes.map((n) => n.name).sort());
    else process.stdout.write(`  (kind get nodes not run: ${KIND_CLI_MISSING})\n`);
    const removed = await teardownCluster(rt, { labId, clusterName });
    expect(removed).toEqual({ containers: 3, networks: 1 });
  });

  it("what a crashed provisioner leaves behind is found and removed by the reaper's by-label teardown", async () => {
    const { labId, labels } = testLab('kind-reap');
    const clusterName = `pw-reap-${process.pid}`;
    leftovers.push({ labId, clusterName });
    // retain = nothing cleaned up, as if the process had died mid-provisioning.
    await expect(
      provisionKindCluster({ runtime: rt, labId, clusterName, labLabels: labels, template, options: { ...standinOptions, retain: true } }),
    ).rejects.toThrow();
    expect((await rt.listContainers({ [Labels.labId]: labId })).length).toBe(3);
    // The reaper knows nothing about kind: lab labels alone must reach every node, volume and the network.
    const removed = await teardownByLabel(rt, { [Labels.labId]: labId });
    expect(removed).toEqual({ containers: 3, networks: 1 });
    expect(await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName })).toEqual([]);
    expect(await rt.inspectNetwork(`${clusterName}-net`)).toBeUndefined();
  });

  it('a missing node image fails the image step with advice, before anything is created', async () => {
    const { labId, labels } = testLab('kind-noimg');
    const clusterName = `pw-noimg-${process.pid}`;
    const err = (await provisionKindCluster({
      runtime: rt,
      labId,
      clusterName,
      labLabels: labels,
      template: { ...template, nodeImage: 'pw-test/absent-node:0' },
      options: standinOptions,
    }).catch((e: unknown) => e)) as ProvisionError;
    expect(err.step).toBe('node image');
    expect(err.message).toMatch(/pw-test\/absent-node:0 is not on the Docker host and pulling is disabled; run "docker pull/);
    expect(await rt.listNetworks({ [Labels.labId]: labId })).toEqual([]);
  });

  it('a missing toolbox image fails the image step too, before any node is created (not after kubeadm)', async () => {
    const { labId, labels } = testLab('kind-notb');
    const clusterName = `pw-notb-${process.pid}`;
    const withToolbox = {
      ...template,
      toolbox: { image: 'pw-test/absent-toolbox:0' },
      targets: [...template.targets, { name: 'node1', kind: 'toolbox' as const, node: 'worker' }],
    };
    const err = (await provisionKindCluster({ runtime: rt, labId, clusterName, labLabels: labels, template: withToolbox, options: standinOptions }).catch(
      (e: unknown) => e,
    )) as ProvisionError;
    expect(err).toBeInstanceOf(ProvisionError);
    expect(err.step).toBe('node image');
    expect(err.message).toContain('pw-test/absent-toolbox:0 is not on the Docker host; run "npm run images" to build it');
    expect(await rt.listContainers({ [Labels.labId]: labId })).toEqual([]);
    expect(await rt.listNetworks({ [Labels.labId]: labId })).toEqual([]);
  });
});
