// `npm run test:kind`: conformance of a real kind-default cluster made by the lab-runner (kindest/node, privileged
// nodes). Runs wherever the pinned node image (and agnhost, the workload image) is on the Docker host; otherwise
// prints one line saying why and skips — it never reports passed without a cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';
import { labLabels } from '../../lab-runner/labels.ts';
import { clusterNameForLab } from '../../lab-runner/kind/cluster-name.ts';
import { teardownCluster } from '../../lab-runner/kind/cluster-teardown.ts';
import { kindAvailability } from '../../lab-runner/kind/kind-availability.ts';
import { normalizeImageRef } from '../../lab-runner/kind/image-loader.ts';
import { kindTargets } from '../../lab-runner/kind/kind-lab-provisioner.ts';
import { optionsForLabRuntime, provisionKindCluster, type KindCluster } from '../../lab-runner/kind/kind-provisioner.ts';
import { loadKindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';
import { jumpboxPathOf } from '../../course/sandbox/kind/sandbox-files.ts';
import { ManifestCommands } from '../../lab-runner/files/manifest-commands.ts';
import type { LabTarget, ReadyLab } from '../../lab-runner/lab/lab.ts';
import { recordKubeObjects } from '../../lab-runner/network/kube-record.ts';
import { LabNetwork } from '../../lab-runner/network/lab-network.ts';
import type { ExecOptions, ExecResult } from '../../lab-runner/runtime/container-runtime.ts';
import { loadClusterSchema } from '../../lib/k8s-schema/cluster-schema.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
const template = await loadKindTemplate(path.join(import.meta.dirname, '../../sandboxes/kind-default/sandbox.yaml'));
const runtime = new DockerRuntime();
const availability = await kindAvailability(runtime, template.nodeImage, [AGNHOST]);
if (!availability.ok) process.stdout.write(`kind conformance: skipped — ${availability.reason}\n`);

const kindCli = spawnSync('kind', ['version'], { encoding: 'utf8' }).status === 0;

async function retry(what: string, fn: () => Promise<ExecResult>, timeoutMs = 90_000): Promise<ExecResult> {
  const deadline = Date.now() + timeoutMs;
  let last: ExecResult | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (last.exitCode === 0) return last;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`${what} did not succeed within ${timeoutMs / 1000} s: ${last?.stdout}${last?.stderr}`);
}

describe.skipIf(!availability.ok)('kind conformance: kind-default made by the lab-runner', () => {
  const labId = `lab-conf${Date.now().toString(36).slice(-4)}`;
  const clusterName = clusterNameForLab(labId);
  let cluster: KindCluster;
  const jb = (cmd: string[]) => runtime.exec(cluster.jumpbox!.id, { cmd, user: 'learner', timeoutMs: 60_000 });
  const kubectl = (...args: string[]) => jb(['kubectl', ...args]);

  beforeAll(async () => {
    cluster = await provisionKindCluster({
      runtime,
      labId,
      clusterName,
      labLabels: labLabels({ labId, learnerId: 'conformance', template: template.name, expiresAt: new Date(Date.now() + 3600_000) }),
      template,
      options: { ...optionsForLabRuntime(process.env.LAB_RUNTIME), allowPull: false },
      onProgress: (p) => process.stdout.write(`  [${p.step}/${p.totalSteps}] ${p.label}\n`),
      onDetail: (l) => process.stdout.write(`      ${l}\n`),
    });
    process.stdout.write(`  step timings (ms): ${JSON.stringify(cluster.timings)}\n`);
    // For `npm run test:kind -- --report`: what the provisioner measured and warned about (tests/kind/run-kind-suite.ts).
    if (process.env.PACKETWALK_KIND_FACTS) {
      writeFileSync(
        process.env.PACKETWALK_KIND_FACTS,
        JSON.stringify(
          {
            cluster: clusterName,
            kubernetesVersion: cluster.kubernetesVersion,
            timings: cluster.timings,
            warnings: cluster.warnings,
            preload: cluster.preload,
            host: cluster.host,
          },
          null,
          2,
        ),
      );
    }
  });
  afterAll(async () => {
    await teardownCluster(runtime, { labId, clusterName });
  });

  it('all nodes are Ready, named as kind names them', async () => {
    const r = await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([`${clusterName}-control-plane=True`, `${clusterName}-worker=True`, `${clusterName}-worker2=True`]);
  });

  it("the jumpbox's kubectl is the cluster's own version and talks to the in-network endpoint", async () => {
    const v = await kubectl('version', '-o', 'json');
    const parsed = JSON.parse(v.stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
    expect(parsed.clientVersion.gitVersion).toBe(parsed.serverVersion.gitVersion);
    expect((await kubectl('config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}')).stdout).toBe(`https://${clusterName}-control-plane:6443`);
  });

  it('kube-dns answers, pods reach each other across nodes, and a ClusterIP Service answers', async () => {
    const pod = (name: string, node: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  nodeName: ${clusterName}-${node}
  containers:
  - name: netexec
    image: ${AGNHOST}
    imagePullPolicy: Never
    args: [netexec, --http-port=8080]
`;
    const apply = await runtime.exec(cluster.jumpbox!.id, {
      cmd: ['kubectl', 'apply', '-f', '-'],
      stdin: `${pod('probe-a', 'worker')}---\n${pod('probe-b', 'worker2')}`,
      user: 'learner',
    });
    expect(apply.exitCode, apply.stderr).toBe(0);
    await retry('pods Ready', () => kubectl('wait', '--for=condition=Ready', 'pod/probe-a', 'pod/probe-b', '--timeout=20s'));

    const dnsIp = await kubectl('get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}');
    expect(dnsIp.stdout).toBe('10.96.0.10');
    await retry('kube-dns resolving kubernetes.default', () =>
      kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', 'kubernetes.default.svc.cluster.local:443'),
    );

    const ipB = (await kubectl('get', 'pod', 'probe-b', '-o', 'jsonpath={.status.podIP}')).stdout;
    expect(ipB).toMatch(/^10\.244\./);
    await retry('pod-to-pod across nodes', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', `${ipB}:8080`));

    expect((await kubectl('expose', 'pod', 'probe-b', '--name=web', '--port=80', '--target-port=8080')).exitCode).toBe(0);
    const svcIp = (await kubectl('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    expect(svcIp).toMatch(/^10\.96\./);
    await retry('ClusterIP Service', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', `${svcIp}:80`));
    await retry('Service by DNS name', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', 'web.default.svc.cluster.local:80'));
  });

  it("every preload image the host has is in every node's containerd; none failed to load", async () => {
    // An image missing on the host is the host's preparation (node lab-runner/cli/kind-images.ts lists them), not kind's.
    expect(cluster.preload?.problems.filter((p) => p.reason !== 'not on the Docker host')).toEqual([]);
    const onHost = [];
    for (const image of template.preloadImages) if (await runtime.inspectImage(image)) onHost.push(image);
    expect(onHost).toContain(AGNHOST);
    for (const node of cluster.nodes) {
      const r = await runtime.exec(node.id, { privileged: true, cmd: ['crictl', 'images', '-o', 'json'] });
      expect(r.exitCode).toBe(0);
      const tags = (JSON.parse(r.stdout) as { images: { repoTags: string[] }[] }).images.flatMap((i) => i.repoTags);
      for (const image of onHost) expect(tags, `${image} on ${node.name}`).toContain(normalizeImageRef(image));
    }
  });

  it("the API server's host port was chosen before start (as kind does), so it survives a dockerd restart", async () => {
    // HostConfig.PortBindings holds the requested port: an explicit one is requested again on every start.
    const port = Number(cluster.apiServer.hostPort);
    expect(port).toBeGreaterThan(0);
    const requested = JSON.parse(
      execFileSync('docker', ['inspect', '-f', '{{json .HostConfig.PortBindings}}', cluster.controlPlane.name], { encoding: 'utf8' }),
    ) as Record<string, { HostPort: string }[]>;
    expect(requested['6443/tcp']?.[0]?.HostPort).toBe(String(port));
  });

  it('kind sees it as one of its own clusters', async () => {
    // What `kind get clusters` reads: the io.x-k8s.kind.cluster label of running containers.
    const nodes = await runtime.listContainers({ 'io.x-k8s.kind.cluster': clusterName });
    expect(nodes.map((n) => n.labels['io.x-k8s.kind.role']).sort()).toEqual(['control-plane', 'worker', 'worker']);
    if (!kindCli) {
      process.stdout.write('  (kind CLI not on PATH: `kind get clusters` / `kind export kubeconfig` not run)\n');
      return;
    }
    expect(execFileSync('kind', ['get', 'clusters'], { encoding: 'utf8' }).split('\n')).toContain(clusterName);
    const dir = mkdtempSync(path.join(tmpdir(), 'pw-kubeconfig-'));
    try {
      const file = path.join(dir, 'config');
      execFileSync('kind', ['export', 'kubeconfig', '--name', clusterName, '--kubeconfig', file]);
      expect(execFileSync('kubectl', ['--kubeconfig', file, 'get', 'nodes', '-o', 'name'], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('lab targets, as the lab manager hands them to terminals, the grader and the editor', () => {
    let targets: LabTarget[];
    // LabManager.exec in miniature: the target's container, as the target's user unless the caller names one.
    const labs = {
      exec: async (_labId: string, name: string, opts: ExecOptions): Promise<ExecResult> => {
        const t = targets.find((x) => x.name === name);
        if (!t) throw new Error(`no target ${name}`);
        return runtime.exec(t.containerId, t.user && opts.user === undefined ? { ...opts, user: t.user } : opts);
      },
    };
    const on = (target: string, script: string) => labs.exec(labId, target, { cmd: ['sh', '-c', script], timeoutMs: 30_000 });
    beforeAll(() => {
      targets = kindTargets(template, cluster);
    });

    it('offers jumpbox, control-plane, worker, worker2 and the node1/node2 toolboxes', () => {
      expect(targets.map((t) => t.name).sort()).toEqual(['control-plane', 'jumpbox', 'node1', 'node2', 'worker', 'worker2']);
      expect(targets.find((t) => t.name === 'worker')?.containerName).toBe(`${clusterName}-worker`);
      expect(targets.find((t) => t.name === 'node1')?.containerName).toBe(`${clusterName}-node1-toolbox`);
    });

    it('checks and terminals on the jumpbox run as learner, whose private ~/.kube works', async () => {
      const r = await on('jumpbox', 'id -un; stat -c %a ~/.kube; kubectl get nodes -o name | wc -l');
      expect(r.stdout.trim().split('\n')).toEqual(['learner', '700', '3']);
    });

    it("node1 is a toolbox in kind-worker's network: the worker's address, kube-proxy's chains, and tcpdump/dig/jq", async () => {
      const worker = cluster.nodes.find((n) => n.suffix === 'worker')!;
      expect((await on('node1', 'ip -o -4 addr show eth0')).stdout).toContain(`${worker.ipv4}/`);
      // Same iptables backend as the node: kube-proxy's rules (written inside the node) are visible here.
      expect((await on('node1', 'iptables -t nat -S KUBE-SERVICES')).stdout).toContain('-N KUBE-SERVICES');
      expect((await on('node1', 'command -v tcpdump dig jq ping traceroute dnsmasq | wc -l')).stdout.trim()).toBe('6');
      // The node shell is the kind node itself, with crictl.
      expect((await on('worker', 'crictl --version')).exitCode).toBe(0);
    });

    it("the template's files are on the jumpbox under /opt/packetwalk", async () => {
      for (const f of template.files) {
        expect((await on('jumpbox', `test -r ${jumpboxPathOf(f.relativePath)}`)).exitCode, f.relativePath).toBe(0);
      }
    });

    it("editor: the cluster's own schema has Pod, Service and NetworkPolicy; Apply then Diff shows no difference", async () => {
      const jumpbox = targets.find((t) => t.kind === 'jumpbox')!;
      const commands = new ManifestCommands(labs);
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'pw-k8s-schema-'));
      try {
        const schema = await loadClusterSchema(commands.kubectl(labId, jumpbox), { cacheDir });
        expect(schema.kubernetesVersion).toBe(cluster.kubernetesVersion);
        const kinds = schema.kinds.map((k) => `${k.apiVersion} ${k.kind}`);
        expect(kinds).toEqual(expect.arrayContaining(['v1 Pod', 'v1 Service', 'networking.k8s.io/v1 NetworkPolicy']));
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
      const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: editor-probe
  labels: {app: editor-probe}
spec:
  containers:
  - name: netexec
    image: ${AGNHOST}
    imagePullPolicy: Never
    args: [netexec, --http-port=8080]
`;
      const applied = await commands.apply(labId, jumpbox, manifest);
      expect(applied.ok, applied.stderr).toBe(true);
      expect(applied.objects).toEqual(['Pod/editor-probe']);
      const diff = await commands.diff(labId, jumpbox, manifest);
      expect(diff.ok, diff.stderr).toBe(true);
      expect(diff.differs, diff.stdout).toBe(false);
    });

    it("the map's kind views, live: probe pods on their workers' namespaces, Service web to probe-b (recorded when asked)", async () => {
      const now = new Date();
      const lab = { id: labId, state: 'ready', template: template.name, learnerId: 'conformance', targets, createdAt: now, readyAt: now } as ReadyLab;
      // The map service on this cluster: LabManager.exec in miniature above, no captures (execStream) or lab events.
      const net = new LabNetwork({
        get: async () => lab,
        exec: labs.exec,
        execStream: () => Promise.reject(new Error('no captures in the conformance suite')),
        subscribe: () => () => {},
      });
      try {
        const map = await net.map(labId);
        const nodeOf = (pod: string) => map.namespaces.find((ns) => ns.pod?.namespace === 'default' && ns.pod.name === pod)?.node;
        expect([nodeOf('probe-a'), nodeOf('probe-b')]).toEqual(['worker', 'worker2']);
        const ipB = (await kubectl('get', 'pod', 'probe-b', '-o', 'jsonpath={.status.podIP}')).stdout;
        const web = map.services.find((s) => s.source === 'kubernetes' && s.name === 'default/web');
        expect(web?.endpoints.map((e) => [e.address, e.pod, e.ready])).toEqual([[ipB, 'default/probe-b', true]]);
      } finally {
        await net.close();
      }
      // The kind workflow keeps this cluster's state too, beside each lesson's (kube-views-recorded.test.ts replays it).
      const out = process.env.PACKETWALK_KUBE_RECORD_DIR;
      if (out) {
        const sandboxesDir = path.join(import.meta.dirname, '../../sandboxes');
        await recordKubeObjects({ labs, labId, template: template.name, targets, sandboxesDir, outDir: out, name: 'conformance-kind-default' });
      }
    });
  });

  it('teardown leaves nothing behind', async () => {
    await teardownCluster(runtime, { labId, clusterName });
    expect(await runtime.listContainers({ 'io.x-k8s.kind.cluster': clusterName })).toEqual([]);
    expect(await runtime.listContainers({ 'io.packetwalk.lab-id': labId })).toEqual([]);
    expect(await runtime.listNetworks({ 'io.packetwalk.lab-id': labId })).toEqual([]);
  });
});
