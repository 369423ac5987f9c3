// npm run doctor: can this host run kind labs, and how are lab nodes confined (LAB_ISOLATION)? Every check prints ✓ / ! / ✗ and, when not ✓, the fix; then the
// lessons this host cannot finish (a kernel feature they need is missing), instead of letting them fail mid-lesson.
// Exit code 1 when any check fails. Bare-node labs need only the first two checks. --report writes it all as JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../lib/config.ts';
import { dockerTarget } from '../docker/docker-client.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { isolationChecks } from '../isolation/isolation-checks.ts';
import { isolationInput } from '../lab/lab-engine.ts';
import { gatherHostFacts, lessonsBlockedBy, type CheckResult } from '../kind/host-preflight.ts';
import { hostReportFrom, verdictOf } from '../kind/host-report.ts';
import { JUMPBOX_IMAGE } from '../kind/jumpbox.ts';
import { DEFAULT_NODE_IMAGE, kubernetesVersionOfImage } from '../../course/sandbox/kind/node-images.ts';
import { probePrivileged } from '../kind/privileged-probe.ts';
import { bridgeNetfilterCheck } from '../nodes/bridge-netfilter.ts';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    image: { type: 'string', default: DEFAULT_NODE_IMAGE },
    report: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run doctor [-- --nodes N] [--image kindest/node:vX@sha256:...] [--report file.json]
  Checks the Docker host: the isolation lab nodes get (per LAB_ISOLATION), and for kind labs: engine, cgroups, privileged containers, inotify limits, memory, kernel
  features some lessons need (NFQUEUE, xt_recent), images. --report writes the host facts and every check as JSON.`);
  process.exit(0);
}
const nodeCount = Number(values.nodes);
if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 20) {
  console.error(`--nodes must be a whole number from 1 to 20 (got ${values.nodes})`);
  process.exit(2);
}
const version = kubernetesVersionOfImage(values.image!);
if (!version) {
  console.error(`--image must be pinned by digest, e.g. ${DEFAULT_NODE_IMAGE}`);
  process.exit(2);
}

const runtime = new DockerRuntime();
const labRuntime = process.env.LAB_RUNTIME || undefined;
const facts = await gatherHostFacts(runtime);
const results: CheckResult[] = [];
const engineUp = !('error' in facts.engine);
if (engineUp) {
  if (labRuntime) {
    const info = await runtime.info();
    results.push(
      info.runtimes.includes(labRuntime)
        ? { name: 'LAB_RUNTIME', status: 'ok', detail: `${labRuntime} is registered with the engine` }
        : {
            name: 'LAB_RUNTIME',
            status: 'fail',
            detail: `${labRuntime} is not one of the engine's runtimes (${info.runtimes.join(', ')})`,
            fix: `Install ${labRuntime} and register it in /etc/docker/daemon.json, or unset LAB_RUNTIME.`,
          },
    );
  }
  const config = loadConfig();
  results.push(...(await isolationChecks(dockerTarget(), await runtime.info(), isolationInput(runtime, config), config.LAB_DISK_LIMIT)));
  results.push(bridgeNetfilterCheck());
  results.push(await probePrivileged(runtime, labRuntime));
  const nodeImage = await runtime.inspectImage(values.image!);
  results.push(
    nodeImage
      ? { name: 'Node image', status: 'ok', detail: `${values.image} present (${(nodeImage.sizeBytes / 1e9).toFixed(2)} GB)` }
      : {
          name: 'Node image',
          status: 'warn',
          detail: `${values.image} is not on this host; the first kind lab pulls about 1 GB`,
          fix: `Pull it ahead of class: docker pull ${values.image} (offline: docker save on a connected machine, docker load here).`,
        },
  );
  results.push(
    (await runtime.inspectImage(JUMPBOX_IMAGE))
      ? { name: 'Jumpbox image', status: 'ok', detail: `${JUMPBOX_IMAGE} present` }
      : { name: 'Jumpbox image', status: 'warn', detail: `${JUMPBOX_IMAGE} is not built yet`, fix: 'npm run images' },
  );
}

const report = hostReportFrom(facts, { nodeCount, kubernetesMinor: version.minor }, results);
results.splice(0, results.length, ...report.preflight);
const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
console.log(`packetwalk doctor — kind labs with ${nodeCount} node(s), ${values.image}`);
for (const r of results) {
  console.log(`${mark[r.status]} ${r.name}: ${r.detail}`);
  if (r.fix && r.status !== 'ok') console.log(`    fix: ${r.fix}`);
}
const blocked = lessonsBlockedBy(results);
if (blocked.length) {
  console.log('\nLessons this host cannot finish (kind labs start, these lessons stop halfway):');
  for (const b of blocked) console.log(`  - ${b.lesson} (needs ${b.check.replace(/^Kernel: /, '')})`);
}
if (values.report) {
  await mkdir(path.dirname(path.resolve(values.report)), { recursive: true });
  await writeFile(values.report, JSON.stringify({ ...report, verdict: verdictOf(results) }, null, 2));
  console.log(`\nreport: ${values.report}`);
}
const failed = results.filter((r) => r.status === 'fail').length;
console.log(failed ? `\n${failed} check(s) failed: kind labs will not start on this host until they are fixed.` : '\nThis host can run kind labs.');
process.exit(failed ? 1 : 0);
