// `npm run test:kind [-- --report <file>]`: the kind conformance suite (vitest project "kind"), and with --report a
// shareable JSON report: the host (facts, preflight, what packetwalk derived), each provisioning step's time and
// warnings, and each conformance check with its outcome. Skipped checks stay skipped in the report, with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';
import { describeHost } from '../../lab-runner/kind/host-report.ts';
import { kindAvailability } from '../../lab-runner/kind/kind-availability.ts';
import { kubernetesVersionOfImage } from '../../course/sandbox/kind/node-images.ts';
import { loadKindTemplate } from '../../course/sandbox/kind/kind-sandbox-schema.ts';

const { values, positionals } = parseArgs({ options: { report: { type: 'string' } }, allowPositionals: true, strict: false });
const reportFile = typeof values.report === 'string' ? path.resolve(values.report) : undefined;
const work = mkdtempSync(path.join(tmpdir(), 'pw-kind-suite-'));
const vitestJson = path.join(work, 'vitest.json');
const factsFile = path.join(work, 'facts.json');

const started = Date.now();
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--project', 'kind', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...positionals.map(String)],
  {
    stdio: 'inherit',
    env: { ...process.env, PACKETWALK_KIND_FACTS: factsFile },
  },
);
const code = run.status ?? 1;

if (reportFile) {
  interface Assertion {
    fullName: string;
    status: string;
    duration?: number;
    failureMessages?: string[];
  }
  const results = existsSync(vitestJson)
    ? (JSON.parse(readFileSync(vitestJson, 'utf8')) as { testResults?: { name: string; assertionResults?: Assertion[] }[] })
    : {};
  const checks = (results.testResults ?? []).flatMap((f) =>
    (f.assertionResults ?? []).map((a) => ({
      file: path.relative(process.cwd(), f.name),
      check: a.fullName,
      outcome: a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped',
      ms: a.duration !== undefined ? Math.round(a.duration) : undefined,
      ...(a.failureMessages?.length ? { error: a.failureMessages[0]!.split('\n').slice(0, 5).join('\n') } : {}),
    })),
  );
  const runtime = new DockerRuntime();
  const template = await loadKindTemplate(path.join(import.meta.dirname, '../../sandboxes/kind-default/sandbox.yaml'));
  const host = await describeHost(runtime, { nodeCount: 3, kubernetesMinor: kubernetesVersionOfImage(template.nodeImage)?.minor ?? 35 });
  const availability = await kindAvailability(runtime, template.nodeImage, template.preloadImages.slice(0, 1));
  const provisioning = existsSync(factsFile) ? (JSON.parse(readFileSync(factsFile, 'utf8')) as unknown) : undefined;
  const count = (o: string) => checks.filter((c) => c.outcome === o).length;
  const report = {
    kind: 'packetwalk kind conformance report',
    generatedAt: new Date().toISOString(),
    nodeImage: template.nodeImage,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    // "skipped" means kind could not run here (the suite printed why), never that it passed.
    outcome: code !== 0 ? 'failed' : count('passed') > 0 && count('failed') === 0 ? 'passed' : 'skipped',
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    ...(availability.ok ? {} : { skippedBecause: availability.reason }),
    host,
    provisioning: provisioning ?? null,
    checks,
  };
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, JSON.stringify(report, null, 2));
  process.stdout.write(`\nkind report (${report.outcome}): ${reportFile}\n`);
}
rmSync(work, { recursive: true, force: true });
process.exit(code);
