// The lab-runner makes kind clusters itself, step for step as `kind create cluster` does. This test holds it to kind:
// kind's own CLI (`kind create cluster --retain`) and the lab-runner make the same cluster, under the same name, from
// the same kind config on the stand-in image. Both stop at kubeadm init (the stand-in has no kubelet), so the nodes
// stay, and what each left is compared: how Docker runs every node (`docker inspect`) and the kubeadm config written
// to /kind/kubeadm.conf. Every difference is either listed below with its reason, or a failure.
// Needs the kind CLI on PATH and an engine that starts privileged containers (the stock-kernel VM, GitHub's runners);
// elsewhere it skips, saying which is missing.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateKindTemplate, type KindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import { teardownCluster } from '../../../lab-runner/kind/cluster-teardown.ts';
import { provisionKindCluster } from '../../../lab-runner/kind/kind-provisioner.ts';
import { probePrivileged } from '../../../lab-runner/kind/privileged-probe.ts';
import { KIND_CLI_MISSING, kindCli, kindCliVersion } from './kind-cli.ts';
import { runtime, STANDIN_KUBE_VERSION, standinImage, testLab } from './standin.ts';

const KIND_YAML = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
  - role: worker
networking:
  ipFamily: ipv4
  kubeProxyMode: nftables
`;

const rt = runtime();
const privileged = await probePrivileged(rt);
const skip = !kindCliVersion ? KIND_CLI_MISSING : privileged.status !== 'ok' ? `this engine refuses privileged containers (${privileged.detail})` : undefined;
if (skip) process.stdout.write(`kind differential: skipped — ${skip}\n`);

const docker = promisify(execFile);

interface NodeSeen {
  name: string;
  /** How Docker runs the node: the settings kind's docker provider passes to `docker run`. */
  run: Record<string, unknown>;
  /** /kind/kubeadm.conf, one object per YAML document, keyed by kind. */
  kubeadm: Record<string, unknown>;
}

/** The node containers of a cluster as kind lists them (by its cluster label), with what the comparison reads. */
async function seen(clusterName: string): Promise<NodeSeen[]> {
  const { stdout: names } = await docker('docker', ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${clusterName}`, '--format', '{{.Names}}']);
  const out: NodeSeen[] = [];
  for (const name of names.split('\n').filter(Boolean).sort()) {
    const { stdout } = await docker('docker', ['inspect', name]);
    const [c] = JSON.parse(stdout) as [DockerInspect];
    const ip = Object.values(c.NetworkSettings.Networks)[0]?.IPAddress ?? '';
    const { stdout: conf } = await docker('docker', ['exec', name, 'cat', '/kind/kubeadm.conf']);
    // Addresses differ between the two runs (two networks): each becomes a name before comparing.
    const kubeadm: Record<string, unknown> = {};
    for (const doc of parseAllDocuments(conf.replaceAll(ip, '<node-ip>'))) {
      const o = doc.toJS() as { kind: string };
      kubeadm[o.kind] = o;
    }
    const h = c.HostConfig;
    const kindLabels = Object.fromEntries(Object.entries(c.Config.Labels).filter(([k]) => k.startsWith('io.x-k8s.kind.')));
    out.push({
      name,
      run: {
        image: c.Config.Image,
        hostname: c.Config.Hostname,
        tty: c.Config.Tty,
        env: (c.Config.Env ?? []).filter((e) => /^(KUBECONFIG|KIND_|HTTPS?_PROXY|NO_PROXY|container)=/.test(e)).sort(),
        kindLabels,
        privileged: h.Privileged,
        securityOpt: [...(h.SecurityOpt ?? [])].sort(),
        tmpfs: h.Tmpfs ?? {},
        binds: [...(h.Binds ?? [])].sort(),
        volumes: Object.keys(c.Config.Volumes ?? {}).sort(),
        devices: (h.Devices ?? []).map((d) => d.PathOnHost).sort(),
        restartPolicy: h.RestartPolicy,
        init: h.Init ?? false,
        cgroupnsMode: h.CgroupnsMode,
        usernsMode: h.UsernsMode,
        sysctls: h.Sysctls ?? {},
        // Which container ports are published on which host address; the host ports are chosen per run.
        published: Object.entries(h.PortBindings ?? {})
          .flatMap(([port, bindings]) => (bindings ?? []).map((b) => `${b.HostIp}->${port}`))
          .sort(),
      },
      kubeadm,
    });
  }
  return out;
}

interface DockerInspect {
  Config: { Image: string; Hostname: string; Tty: boolean; Env?: string[]; Labels: Record<string, string>; Volumes?: Record<string, unknown> };
  HostConfig: {
    Privileged: boolean;
    SecurityOpt?: string[];
    Tmpfs?: Record<string, string>;
    Binds?: string[];
    Devices?: { PathOnHost: string }[];
    RestartPolicy: unknown;
    Init?: boolean | null;
    CgroupnsMode: string;
    UsernsMode: string;
    Sysctls?: Record<string, string>;
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[] | null>;
  };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

// Both kubeadm config APIs: v1beta3 (Kubernetes 1.35) and v1beta4 (1.36 and later; the default node image is 1.37).
describe.skipIf(skip !== undefined).each([
  { kubeVersion: STANDIN_KUBE_VERSION, kubeadmApi: 'kubeadm.k8s.io/v1beta3' },
  { kubeVersion: 'v1.37.0', kubeadmApi: 'kubeadm.k8s.io/v1beta4' },
])(`the lab-runner's kind cluster against ${kindCliVersion ?? 'kind'}'s (stand-in node image saying $kubeVersion)`, ({ kubeVersion, kubeadmApi }) => {
  const clusterName = `pw-diff-${kubeVersion.replaceAll('.', '')}-${process.pid}`;
  const work = mkdtempSync(path.join(tmpdir(), 'pw-kind-diff-'));
  let template: KindTemplate;
  let byKind: NodeSeen[];
  let byUs: NodeSeen[];
  const kindNetwork = `${clusterName}-kindnet`;

  beforeAll(async () => {
    const image = await standinImage(rt, kubeVersion);
    template = {
      ...validateKindTemplate(
        { name: 'kind-standin', title: 'stand-in', runtime: 'kind', nodeImage: DEFAULT_NODE_IMAGE, targets: [{ name: 'jumpbox', kind: 'jumpbox' }] },
        KIND_YAML,
        '/virtual/kind-standin/sandbox.yaml',
      ),
      nodeImage: image,
    };
    // kind's run: on an internal network made here (KIND_EXPERIMENTAL_DOCKER_NETWORK), as every test's lab network is.
    await docker('docker', ['network', 'create', '--internal', '--label', 'io.packetwalk.test=kind-differential', kindNetwork]);
    const config = path.join(work, 'kind.yaml');
    writeFileSync(config, KIND_YAML);
    const env = { KIND_EXPERIMENTAL_DOCKER_NETWORK: kindNetwork, KUBECONFIG: path.join(work, 'kubeconfig') };
    await expect(kindCli(['create', 'cluster', '--name', clusterName, '--image', image, '--config', config, '--retain'], env)).rejects.toThrow(
      /kubeadm init|control-plane/i,
    );
    byKind = await seen(clusterName);
    await kindCli(['delete', 'cluster', '--name', clusterName], env);
    await docker('docker', ['network', 'rm', kindNetwork]);

    const { labId, labels } = testLab('kind-diff');
    await expect(
      provisionKindCluster({
        runtime: rt,
        labId,
        clusterName,
        labLabels: labels,
        template,
        options: { preflight: false, allowPull: false, internalNetwork: true, startJumpbox: false, startToolboxes: false, retain: true, env: {} },
      }),
    ).rejects.toThrow(/kubeadm init/);
    byUs = await seen(clusterName);
    await teardownCluster(rt, { labId, clusterName });
  }, 600_000);

  afterAll(async () => {
    await kindCli(['delete', 'cluster', '--name', clusterName]).catch(() => undefined);
    await teardownCluster(rt, { labId: 'none', clusterName }).catch(() => undefined);
    await docker('docker', ['network', 'rm', kindNetwork]).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  it('makes the same nodes, by name', () => {
    expect(byKind.map((n) => n.name)).toEqual([`${clusterName}-control-plane`, `${clusterName}-worker`]);
    expect(byUs.map((n) => n.name)).toEqual(byKind.map((n) => n.name));
  });

  it('runs every node as kind does', () => {
    // All nodes in one comparison, so a failure shows every difference at once.
    expect(byUs.map((n) => ({ node: n.name, ...n.run }))).toEqual(byKind.map((n) => ({ node: n.name, ...n.run })));
  });

  it("writes each node the kubeadm config kind writes it (each node's own address named)", () => {
    const api = (byKind[0]!.kubeadm.ClusterConfiguration as { apiVersion?: string } | undefined)?.apiVersion;
    expect(api).toBe(kubeadmApi);
    expect(byUs.map((n) => ({ node: n.name, ...n.kubeadm }))).toEqual(byKind.map((n) => ({ node: n.name, ...n.kubeadm })));
  });
});
