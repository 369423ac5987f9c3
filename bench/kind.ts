// npm run bench:kind — kind-default on a host that can run kind: cold create-to-Ready, warm-pool claim,
// pause/resume, memory of an idle cluster. Prints a table and rewrites the "kind" section of BENCHMARKS.md.
// Where kind cannot run (no pinned node image, no agnhost), prints one line saying why, leaves any earlier
// measurements in BENCHMARKS.md alone and exits 0.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DockerRuntime } from '../lab-runner/docker/docker-runtime.ts';
import { labLabels, Labels } from '../lab-runner/labels.ts';
import { clusterNameForLab } from '../lab-runner/kind/cluster-name.ts';
import { pauseCluster, resumeCluster } from '../lab-runner/kind/cluster-pause.ts';
import { teardownCluster } from '../lab-runner/kind/cluster-teardown.ts';
import { kindAvailability } from '../lab-runner/kind/kind-availability.ts';
import { KindLabProvisioner } from '../lab-runner/kind/kind-lab-provisioner.ts';
import { optionsForLabRuntime, provisionKindCluster, type KindCluster } from '../lab-runner/kind/kind-provisioner.ts';
import { loadKindTemplate } from '../course/sandbox/kind/kind-sandbox-schema.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, idle: { type: 'string', default: '60' } } });
const runs = Math.max(1, Number(values.runs) || 1);
const idleSeconds = Math.max(0, Number(values.idle) || 0);
const BENCH_FILE = path.resolve('BENCHMARKS.md');
const START = '<!-- bench:kind:start -->';
const END = '<!-- bench:kind:end -->';
const TARGETS = { cold: 45_000, claim: 1_000, resume: 2_000 };

const runtime = new DockerRuntime();
const template = await loadKindTemplate(path.resolve('sandboxes/kind-default/sandbox.yaml'));
const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

function writeSection(body: string): void {
  const section = `${START}\n## kind (\`npm run bench:kind\`)\n\n${body.trim()}\n${END}`;
  const current = existsSync(BENCH_FILE) ? readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
  const next = current.includes(START) ? current.replace(new RegExp(`${START}[\\s\\S]*?${END}`), section) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCH_FILE, next);
}

const availability = await kindAvailability(runtime, template.nodeImage, [AGNHOST]);
if (!availability.ok) {
  console.log(`bench:kind skipped — ${availability.reason}`);
  const existing = existsSync(BENCH_FILE) ? readFileSync(BENCH_FILE, 'utf8') : '';
  if (!existing.includes(START)) {
    writeSection(`Not measured yet: this needs a host that can run kind (the pinned \`kindest/node\` image and agnhost present, privileged containers allowed).
Targets: cold create-to-Ready < 45 s for 1 control plane + 2 workers with the image present; warm claim < 1 s; resume < 2 s.
Last attempt (${new Date().toISOString().slice(0, 10)}, ${os.hostname()}): skipped — ${availability.reason}.`);
  }
  process.exit(0);
}

const ms = (t0: number) => Math.round(performance.now() - t0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const options = { ...optionsForLabRuntime(process.env.LAB_RUNTIME), allowPull: false };
const provisioner = new KindLabProvisioner({ runtime, containerRuntime: process.env.LAB_RUNTIME }, options);

const cold: number[] = [];
const toReady: number[] = [];
const claims: number[] = [];
const pauses: number[] = [];
const resumes: number[] = [];
const resumeToApi: number[] = [];
const memory: number[] = [];

for (let run = 0; run < runs; run++) {
  const labId = `lab-bench${run}${Date.now().toString(36).slice(-3)}`;
  const clusterName = clusterNameForLab(labId);
  let cluster: KindCluster | undefined;
  try {
    const t0 = performance.now();
    cluster = await provisionKindCluster({
      runtime,
      labId,
      clusterName,
      labLabels: labLabels({ labId, learnerId: 'pool', template: template.name, expiresAt: new Date(Date.now() + 3600_000) }),
      template,
      options,
    });
    cold.push(ms(t0));
    const t = cluster.timings;
    toReady.push(
      (
        [
          'preflight',
          'node image',
          'network',
          'create nodes',
          'kubeadm config',
          'kubeadm init',
          'install CNI',
          'install storage',
          'kubeadm join',
          'wait for ready',
        ] as const
      ).reduce((s, k) => s + (t[k] ?? 0), 0),
    );

    // Warm claim: a ready pool cluster gets fresh learner credentials (the store transaction is the lab-runner's).
    for (let i = 0; i < 3; i++) {
      const c0 = performance.now();
      await provisioner.claim(labId, new Date(Date.now() + 4 * 3600_000));
      claims.push(ms(c0));
    }

    if (idleSeconds) await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const containers = await runtime.listContainers({ [Labels.labId]: labId });
    const stats = await Promise.all(containers.map((c) => runtime.stats(c.id)));
    memory.push(stats.reduce((s, x) => s + x.memoryBytes, 0));

    const p0 = performance.now();
    await pauseCluster(runtime, labId);
    pauses.push(ms(p0));
    const r0 = performance.now();
    await resumeCluster(runtime, labId);
    resumes.push(ms(r0));
    for (;;) {
      const r = await runtime.exec(cluster.jumpbox!.id, { cmd: ['kubectl', 'get', '--raw', '/readyz'], user: 'learner', timeoutMs: 10_000 });
      if (r.exitCode === 0) break;
    }
    resumeToApi.push(ms(r0));
  } finally {
    await teardownCluster(runtime, { labId, clusterName });
  }
}

const ok = (v: number, target: number) => (v <= target ? '✓' : '✗');
const rows = [
  ['cold create-to-Ready (1 cp + 2 workers, image present)', median(toReady), TARGETS.cold],
  ['cold create, lab fully ready (images preloaded, jumpbox)', median(cold), TARGETS.cold],
  ['warm claim (fresh learner token + kubeconfig)', median(claims), TARGETS.claim],
  ['pause (docker pause, all containers)', median(pauses), undefined],
  ['resume (docker unpause, all containers)', median(resumes), TARGETS.resume],
  ['resume until the API server answers /readyz', median(resumeToApi), undefined],
] as const;
const table = [
  '| measurement | median | target |',
  '| --- | ---: | --- |',
  ...rows.map(([name, v, target]) => `| ${name} | ${(v / 1000).toFixed(2)} s | ${target ? `< ${target / 1000} s ${ok(v, target)}` : '—'} |`),
  `| memory of an idle cluster (${idleSeconds} s after ready, 3 nodes + jumpbox) | ${(median(memory) / 1024 ** 2).toFixed(0)} MiB | — |`,
].join('\n');
console.log(table);
writeSection(`Measured ${new Date().toISOString().slice(0, 10)} on ${os.hostname()} (${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB), ${runs} run(s), ${template.nodeImage.split('@')[0]}.

${table}`);
