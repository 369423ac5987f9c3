// Generic parts of kind provisioning against the real Docker engine, using the stand-in image (not a kind node).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Labels } from '../../../lab-runner/labels.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { teardownCluster } from '../../../lab-runner/kind/cluster-teardown.ts';
import { pauseCluster, resumeCluster } from '../../../lab-runner/kind/cluster-pause.ts';
import { loadImages } from '../../../lab-runner/kind/image-loader.ts';
import { chooseNetwork, kindNetworkSpec } from '../../../lab-runner/kind/kind-network.ts';
import { parseKindConfig } from '../../../course/sandbox/kind/kind-config-schema.ts';
import { SYSTEMD_READY } from '../../../lab-runner/kind/kind-provisioner.ts';
import { nodeContainerSpec } from '../../../lab-runner/kind/node-container-spec.ts';
import { readFileOnNode, runOnNode, writeFileOnNode, type NodeExecContext, type NodeRef } from '../../../lab-runner/kind/node-exec.ts';
import { planNodes } from '../../../course/sandbox/kind/node-plan.ts';
import { ProvisionError } from '../../../lab-runner/errors.ts';
import { runtime, standinImage, testLab, tinyImage } from './standin.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('kind generic machinery on the stand-in image (not a kind test)', () => {
  let rt: ContainerRuntime;
  let image: string;
  const { labId, labels } = testLab('kind-it');
  const clusterName = `pw-it-${process.pid}`;
  let nodes: NodeRef[] = [];
  let ctx: NodeExecContext;

  beforeAll(async () => {
    rt = runtime();
    image = await standinImage(rt);
    ctx = { runtime: rt, privileged: false };
  });
  afterAll(async () => {
    await teardownCluster(rt, { labId, clusterName });
  });

  it("creates the network and three nodes concurrently with kind's names and labels, each waiting for systemd in its log", async () => {
    const choice = chooseNetwork('per-cluster', clusterName, {});
    const net = await rt.createNetwork(kindNetworkSpec({ choice, clusterName, labLabels: labels, internal: true }));
    const cfg = parseKindConfig(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: control-plane}, {role: worker}, {role: worker}]\n',
      'k.yaml',
    );
    const plan = planNodes(clusterName, cfg, image);
    nodes = await Promise.all(
      plan.map(async (p) => {
        const spec = nodeContainerSpec(p, {
          clusterName,
          network: net.name,
          labLabels: labels,
          proxyEnv: {},
          apiServerAddress: '127.0.0.1',
          apiServerHostPort: '',
          privileged: false,
          mountHostModules: false,
        });
        const { id } = await rt.createContainer(spec);
        await rt.startContainer(id);
        await rt.waitForLog(id, SYSTEMD_READY, 30_000);
        return { id, name: p.name };
      }),
    );
    // What `kind get clusters` / `kind get nodes` look at: containers by the kind cluster label.
    const listed = await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName });
    expect(listed.map((c) => c.name).sort()).toEqual([`${clusterName}-control-plane`, `${clusterName}-worker`, `${clusterName}-worker2`]);
    expect(listed.every((c) => c.state === 'running')).toBe(true);
    const cp = listed.find((c) => c.name.endsWith('control-plane'))!;
    expect(cp.labels['io.x-k8s.kind.role']).toBe('control-plane');
    expect(cp.labels[Labels.labId]).toBe(labId);
    expect(cp.ipv4[net.name]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The container's hostname is its name, and nodes resolve each other by name on the cluster network.
    const r = await runOnNode(ctx, nodes[1]!, 'test', ['sh', '-c', `hostname; getent hosts ${clusterName}-control-plane`]);
    expect(r.stdout).toContain(`${clusterName}-worker`);
    expect(r.stdout).toContain(cp.ipv4[net.name]);
  });

  it('the log wait times out with the tail it saw when systemd never gets there', async () => {
    const spec = nodeContainerSpec(planNodes(`${clusterName}-slow`, parseKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n', 'k'), image)[0]!, {
      clusterName: `${clusterName}-slow`,
      network: `${clusterName}-net`,
      labLabels: labels,
      proxyEnv: { STANDIN_BOOT_SECONDS: '600' },
      apiServerAddress: '127.0.0.1',
      apiServerHostPort: '',
      privileged: false,
      mountHostModules: false,
    });
    const { id } = await rt.createContainer(spec);
    await rt.startContainer(id);
    await expect(rt.waitForLog(id, SYSTEMD_READY, 1500)).rejects.toThrow(/Detected virtualization docker/);
    await rt.removeContainer(id);
  });

  it('writes files through exec stdin (mkdir -p + cp /dev/stdin) and reads them back unchanged', async () => {
    const content = `# kubeadm.conf\nkey: "quoted $HOME \`backticks\`"\nunicode: ✓ ü\n${'x'.repeat(200_000)}\n`;
    await writeFileOnNode(ctx, nodes[0]!, 'kubeadm config', '/kind/deep/dir/kubeadm.conf', content);
    expect(await readFileOnNode(ctx, nodes[0]!, 'kubeadm config', '/kind/deep/dir/kubeadm.conf')).toBe(content);
    expect(await readFileOnNode(ctx, nodes[0]!, 'x', '/kind/absent.yaml')).toBeUndefined();
  });

  it('a failing command becomes a ProvisionError naming the step, the command and the output tail', async () => {
    const err = await runOnNode(ctx, nodes[0]!, 'kubeadm init', ['kubeadm', 'init', '--config=/kind/kubeadm.conf']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).step).toBe('kubeadm init');
    expect((err as ProvisionError).message).toMatch(
      /Provisioning failed at step "kubeadm init": `kubeadm init --config=\/kind\/kubeadm.conf` on pw-it-\d+-control-plane exited with code 1/,
    );
    expect((err as ProvisionError).outputTail).toContain('the stand-in image has no kubelet');
  });

  it("loads a host image into every node: docker save once, ctr import with kind's flags but one platform, same bytes everywhere", async () => {
    const tiny = await tinyImage(rt, `pw-test/kind-load-payload:${process.pid}`);
    const report = await loadImages({ ctx, nodes, images: [tiny] });
    expect(report[0]!.imported.sort()).toEqual(nodes.map((n) => n.name).sort());
    expect(report[0]!.archiveBytes).toBeGreaterThan(2 * 1024 * 1024);
    const reference = await rt.saveImage(tiny);
    const chunks: Buffer[] = [];
    for await (const c of reference) chunks.push(c as Buffer);
    const saved = Buffer.concat(chunks);
    for (const node of nodes) {
      const r = await runOnNode(ctx, node, 'check', [
        'sh',
        '-c',
        'sha256sum /var/lib/standin/imports/0.tar | cut -d" " -f1; wc -c < /var/lib/standin/imports/0.tar; cat /var/lib/standin/imports/0.args; tar -tf /var/lib/standin/imports/0.tar | grep -c manifest.json',
      ]);
      const [hash, size, args, manifests] = r.stdout.trim().split('\n');
      expect(Number(size)).toBe(report[0]!.archiveBytes);
      expect(hash).toBe(sha(saved));
      expect(args).toBe('--namespace=k8s.io images import --digests --snapshotter=standin-overlayfs -');
      expect(manifests).toBe('1');
    }
    await rt.removeImage(tiny);
  });

  it('refuses to preload an image that is not on the host, naming it', async () => {
    await expect(loadImages({ ctx, nodes, images: ['pw-test/definitely-absent:0'] })).rejects.toThrow(
      /pw-test\/definitely-absent:0 is listed for preloading but is not on the Docker host/,
    );
  });

  it('pauses and resumes every container of the lab together', async () => {
    await pauseCluster(rt, labId);
    expect((await rt.listContainers({ [Labels.labId]: labId })).map((c) => c.state)).toEqual(['paused', 'paused', 'paused']);
    await resumeCluster(rt, labId);
    expect((await rt.listContainers({ [Labels.labId]: labId })).map((c) => c.state)).toEqual(['running', 'running', 'running']);
    expect((await runOnNode(ctx, nodes[2]!, 'check', ['true'])).exitCode).toBe(0);
  });

  it('teardown removes every container and the per-cluster network, found by label alone', async () => {
    const removed = await teardownCluster(rt, { labId, clusterName });
    expect(removed).toEqual({ containers: 3, networks: 1 });
    expect(await rt.listContainers({ [Labels.labId]: labId })).toEqual([]);
    expect(await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName })).toEqual([]);
    expect(await rt.inspectNetwork(`${clusterName}-net`)).toBeUndefined();
    // Idempotent: a second teardown finds nothing and does not fail.
    expect(await teardownCluster(rt, { labId, clusterName })).toEqual({ containers: 0, networks: 0 });
  });
});
