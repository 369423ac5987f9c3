// `npm run test:kind`: conformance of a real kind-default cluster made by the lab-runner (kindest/node, privileged
// nodes). Runs wherever the pinned node image (and agnhost, the workload image) is on the Docker host; otherwise
// prints one line saying why and skips — it never reports passed without a cluster.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';
import { labLabels } from '../../lab-runner/labels.ts';
import { clusterNameForLab } from '../../lab-runner/kind/cluster-name.ts';
import { teardownCluster } from '../../lab-runner/kind/cluster-teardown.ts';
import { kindAvailability } from '../../lab-runner/kind/kind-availability.ts';
import { optionsForLabRuntime, provisionKindCluster, type KindCluster } from '../../lab-runner/kind/kind-provisioner.ts';
import { loadKindTemplate } from '../../lab-runner/kind/kind-sandbox-schema.ts';
import type { ExecResult } from '../../lab-runner/runtime/container-runtime.ts';

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
  });
  afterAll(async () => {
    await teardownCluster(runtime, { labId, clusterName });
  });

  it('all nodes are Ready, named as kind names them', async () => {
    const r = await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual([`${clusterName}-control-plane=True`, `${clusterName}-worker=True`, `${clusterName}-worker2=True`]);
  });

  it('the jumpbox\'s kubectl is the cluster\'s own version and talks to the in-network endpoint', async () => {
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
    const apply = await runtime.exec(cluster.jumpbox!.id, { cmd: ['kubectl', 'apply', '-f', '-'], stdin: `${pod('probe-a', 'worker')}---\n${pod('probe-b', 'worker2')}`, user: 'learner' });
    expect(apply.exitCode, apply.stderr).toBe(0);
    await retry('pods Ready', () => kubectl('wait', '--for=condition=Ready', 'pod/probe-a', 'pod/probe-b', '--timeout=20s'));

    const dnsIp = await kubectl('get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}');
    expect(dnsIp.stdout).toBe('10.96.0.10');
    await retry('kube-dns resolving kubernetes.default', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', 'kubernetes.default.svc.cluster.local:443'));

    const ipB = (await kubectl('get', 'pod', 'probe-b', '-o', 'jsonpath={.status.podIP}')).stdout;
    expect(ipB).toMatch(/^10\.244\./);
    await retry('pod-to-pod across nodes', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', `${ipB}:8080`));

    expect((await kubectl('expose', 'pod', 'probe-b', '--name=web', '--port=80', '--target-port=8080')).exitCode).toBe(0);
    const svcIp = (await kubectl('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    expect(svcIp).toMatch(/^10\.96\./);
    await retry('ClusterIP Service', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', `${svcIp}:80`));
    await retry('Service by DNS name', () => kubectl('exec', 'probe-a', '--', '/agnhost', 'connect', '--timeout=5s', 'web.default.svc.cluster.local:80'));
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

  it('teardown leaves nothing behind', async () => {
    await teardownCluster(runtime, { labId, clusterName });
    expect(await runtime.listContainers({ 'io.x-k8s.kind.cluster': clusterName })).toEqual([]);
    expect(await runtime.listContainers({ 'io.packetwalk.lab-id': labId })).toEqual([]);
    expect(await runtime.listNetworks({ 'io.packetwalk.lab-id': labId })).toEqual([]);
  });
});
