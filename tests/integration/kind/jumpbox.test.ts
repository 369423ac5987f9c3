// The jumpbox against the real Docker engine: unprivileged, kubectl copied byte for byte out of a node
// (here the stand-in's fake kubectl — not a kind node), kubeconfig private to the learner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { teardownCluster } from '../../../lab-runner/kind/cluster-teardown.ts';
import { copyKubectl, jumpboxContainerSpec, writeJumpboxKubeconfig } from '../../../lab-runner/kind/jumpbox.ts';
import { chooseNetwork, kindNetworkSpec } from '../../../lab-runner/kind/kind-network.ts';
import { runOnNode, type NodeRef } from '../../../lab-runner/kind/node-exec.ts';
import { loadKindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { jumpboxPathOf } from '../../../course/sandbox/kind/sandbox-files.ts';
import { copySandboxFiles } from '../../../lab-runner/kind/copy-sandbox-files.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jumpboxImage, runtime, standinImage, testLab } from './standin.ts';

describe('kind jumpbox (stand-in node, not a kind test)', () => {
  let rt: ContainerRuntime;
  const { labId, labels } = testLab('kind-jb');
  const clusterName = `pw-jb-${process.pid}`;
  let node: NodeRef;
  let jumpbox: NodeRef;

  beforeAll(async () => {
    rt = runtime();
    const [nodeImage, jbImage] = await Promise.all([standinImage(rt), jumpboxImage(rt)]);
    const net = await rt.createNetwork(
      kindNetworkSpec({ choice: chooseNetwork('per-cluster', clusterName, {}), clusterName, labLabels: labels, internal: true }),
    );
    const n = await rt.createContainer({ name: `${clusterName}-control-plane`, image: nodeImage, labels, network: net.name, tty: true });
    await rt.startContainer(n.id);
    node = { id: n.id, name: `${clusterName}-control-plane` };
    const spec = jumpboxContainerSpec({ clusterName, network: net.name, labLabels: labels, image: jbImage });
    const j = await rt.createContainer(spec);
    await rt.startContainer(j.id);
    jumpbox = { id: j.id, name: spec.name };
  });
  afterAll(async () => {
    await teardownCluster(rt, { labId, clusterName });
  });

  it('runs as the learner with no capabilities but NET_RAW', async () => {
    const r = await runOnNode({ runtime: rt, privileged: false }, jumpbox, 'check', ['sh', '-c', 'id -un; grep -E "^Cap(Eff|Bnd)" /proc/self/status']);
    const [user, eff, bnd] = r.stdout.trim().split('\n');
    expect(user).toBe('learner');
    expect(eff).toMatch(/CapEff:\s+0000000000000000/);
    // Bounding set: NET_RAW (bit 13) only.
    expect(bnd).toMatch(/CapBnd:\s+0000000000002000/);
  });

  it('gets kubectl copied from the node byte for byte, runnable by the learner', async () => {
    const { bytes } = await copyKubectl({ runtime: rt, privileged: false }, node, { runtime: rt, privileged: false }, jumpbox);
    expect(bytes).toBeGreaterThan(0);
    const src = await rt.exec(node.id, { cmd: ['sha256sum', '/usr/bin/kubectl'] });
    const dst = await rt.exec(jumpbox.id, { cmd: ['sha256sum', '/usr/local/bin/kubectl'] });
    expect(dst.stdout.split(' ')[0]).toBe(src.stdout.split(' ')[0]);
    const run = await rt.exec(jumpbox.id, { cmd: ['kubectl', 'version', '--client'] });
    expect(run.stdout).toContain('Client Version: v1.35.8-standin');
  });

  it('writes the kubeconfig readable only by the learner', async () => {
    await writeJumpboxKubeconfig({ runtime: rt, privileged: false }, jumpbox, 'apiVersion: v1\nkind: Config\n');
    const r = await rt.exec(jumpbox.id, { cmd: ['sh', '-c', 'stat -c "%U %a" "$KUBECONFIG"; cat "$KUBECONFIG"'] });
    expect(r.stdout).toBe('learner 600\napiVersion: v1\nkind: Config\n');
  });

  it("receives the template's files under /opt/packetwalk, root-owned and readable (not writable) by the learner", async () => {
    const template = await loadKindTemplate(path.join(import.meta.dirname, '../../../sandboxes/kind-default/sandbox.yaml'));
    expect(template.files.length).toBeGreaterThan(0);
    const copied = await copySandboxFiles({ runtime: rt, privileged: false }, jumpbox, template.dir, template.files, 'test');
    expect(copied.files).toBe(template.files.length);
    for (const f of template.files) {
      const dest = jumpboxPathOf(f.relativePath);
      // The jumpbox's default user is the learner: this is what a lesson's `cat`/`kubectl apply -f` sees.
      const r = await rt.exec(jumpbox.id, { cmd: ['sh', '-c', `id -un; stat -c "%U %a" "${dest}"; cat "${dest}"`] });
      expect(r.stdout).toBe(`learner\nroot 644\n${readFileSync(path.join(template.dir, 'files', f.relativePath), 'utf8')}`);
      const write = await rt.exec(jumpbox.id, { cmd: ['sh', '-c', `echo x >> "${dest}"`] });
      expect(write.exitCode).not.toBe(0);
    }
    expect((await rt.exec(jumpbox.id, { cmd: ['ls', '/opt/packetwalk/manifests'] })).stdout).toContain('README.md');
  });

  it('reaches the node by its kind name on the cluster network', async () => {
    const r = await rt.exec(jumpbox.id, { cmd: ['getent', 'hosts', `${clusterName}-control-plane`] });
    expect(r.exitCode).toBe(0);
  });
});
