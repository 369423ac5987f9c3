// `npm run prove:kind [-- --out <dir>] [--no-pull]`: the one command that proves the kind path on a machine and
// leaves a folder to share. Pulls what kind labs need (unless --no-pull), builds packetwalk's images, then runs
// doctor, the conformance suite and lab verify of every kind lesson, each writing its JSON report into <dir>, and the
// kind-view tests on what those recorded of each cluster (<dir>/kube-recorded, as the kind workflow does).
// Exit code 0 only when every step passed; a step that could not run (kind unavailable) says so in its report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'kind-proof' }, 'no-pull': { type: 'boolean', default: false } } });
const out = path.resolve(values.out!);
mkdirSync(out, { recursive: true });
const root = path.join(import.meta.dirname, '../..');

interface Step {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  /** Reads the step's report: true when it ran nothing (kind unavailable), so the summary never says "ok" for it. */
  skipped?: () => boolean;
}
const readJson = (file: string): Record<string, unknown> | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
const images = spawnSync(process.execPath, [path.join(root, 'lab-runner/cli/kind-images.ts')], { encoding: 'utf8' })
  .stdout.trim()
  .split('\n')
  .filter(Boolean);
const steps: Step[] = [
  ...(values['no-pull'] ? [] : images.map((image) => ({ name: `pull ${image}`, cmd: ['docker', 'pull', '-q', image] }))),
  { name: 'build packetwalk images', cmd: ['npm', 'run', 'images'] },
  { name: 'doctor', cmd: ['npm', 'run', 'doctor', '--', '--report', path.join(out, 'doctor.json')] },
  {
    name: 'kind conformance',
    cmd: ['npm', 'run', 'test:kind', '--', '--report', path.join(out, 'kind-conformance.json')],
    env: { PACKETWALK_KUBE_RECORD_DIR: path.join(out, 'kube-recorded') },
    skipped: () => readJson(path.join(out, 'kind-conformance.json'))?.outcome === 'skipped',
  },
  {
    name: 'verify kind lessons',
    cmd: [
      'npm',
      'run',
      'lab',
      '--',
      'verify',
      'kind',
      `--report=${path.join(out, 'lab-verify-kind.json')}`,
      `--record-kube=${path.join(out, 'kube-recorded')}`,
    ],
    skipped: () => readJson(path.join(out, 'lab-verify-kind.json'))?.passed === 0,
  },
  {
    name: 'kind views on the recorded clusters',
    cmd: ['npx', 'vitest', 'run', 'tests/unit/network/kube-views-recorded.test.ts'],
    env: { KUBE_RECORDED_DIR: path.join(out, 'kube-recorded') },
    // Nothing recorded means kind did not run: the replay has nothing to prove.
    skipped: () => !existsSync(path.join(out, 'kube-recorded')),
  },
];

const results: { step: string; exitCode: number; skipped: boolean; seconds: number }[] = [];
for (const step of steps) {
  process.stdout.write(`\n━━━ ${step.name}\n`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd[0]!, step.cmd.slice(1), { stdio: 'inherit', cwd: root, env: { ...process.env, ...step.env } });
  results.push({ step: step.name, exitCode: r.status ?? 1, skipped: step.skipped?.() ?? false, seconds: Math.round((Date.now() - t0) / 100) / 10 });
}
writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ generatedAt: new Date().toISOString(), steps: results }, null, 2));
process.stdout.write('\n━━━ summary\n');
for (const r of results) process.stdout.write(`${r.exitCode !== 0 ? 'FAIL' : r.skipped ? 'SKIP' : 'ok  '} ${r.step.padEnd(60)} ${r.seconds}s\n`);
process.stdout.write(`\nreports in ${out}: doctor.json, kind-conformance.json, lab-verify-kind.json, kube-recorded/, summary.json — share the folder.\n`);
// A run in which kind could not run proves nothing: it does not exit 0.
process.exit(results.every((r) => r.exitCode === 0 && !r.skipped) ? 0 : 1);
