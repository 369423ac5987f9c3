// `npm test`: every check the project has, in order, each step run even when an earlier one failed,
// then one summary. Test counts come from the runners' JSON reports, not from parsing their prose.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stockHostUnavailable } from './stock-host/availability.ts';

interface Step {
  name: string;
  cmd: string[];
  /** Reads the step's report file into test counts, when the runner writes one. */
  counts?: (reportFile: string) => Counts | undefined;
  report?: string;
  /** Extra environment, e.g. DOCKER_HOST for the steps that run against the user-namespace engine. */
  env?: Record<string, string>;
  /** Why the step cannot run here (it is then counted as skipped, with the reason printed); undefined: it runs. */
  unavailable?: () => string | undefined;
}

const reportsDir = path.resolve('test-results', 'reports');
rmSync(reportsDir, { recursive: true, force: true });
mkdirSync(reportsDir, { recursive: true });
const report = (name: string) => path.join(reportsDir, `${name}.json`);
// The e2e server's throwaway DATA_DIR, chosen here so that the cleanup step after Playwright knows its store.
const e2eDataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-'));
const e2eClassroomDataDir = process.env.E2E_CLASSROOM_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-classroom-'));

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** Names and first message lines of the failed tests, repeated in the summary so a log's tail says what broke. */
  failures?: string[];
}

const firstLine = (message: string | undefined) =>
  (message ?? '')
    .split('\n')
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 300) ?? '';

const vitestCounts = (file: string): Counts | undefined => {
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
  };
  const failures: string[] = [];
  for (const f of r.testResults ?? []) {
    const rel = path.relative(process.cwd(), f.name);
    const failed = (f.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) failures.push(`${rel} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    // A file that fails to load has no assertion results, only a message.
    if (!failed.length && f.message) failures.push(`${rel}: ${firstLine(f.message)}`);
  }
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests, failures };
};
interface PlaywrightSuite {
  title: string;
  file?: string;
  specs?: { title: string; file: string; line: number; tests: { status: string; results: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}
const playwrightFailures = (suites: PlaywrightSuite[] | undefined, out: string[] = []): string[] => {
  for (const s of suites ?? []) {
    for (const spec of s.specs ?? []) {
      for (const t of spec.tests) {
        if (t.status !== 'unexpected') continue;
        const err = t.results.map((x) => x.error?.message).find(Boolean);
        out.push(`${spec.file}:${spec.line} › ${spec.title}: ${firstLine(err?.replace(/\u001b\[[0-9;]*m/g, ''))}`);
      }
    }
    playwrightFailures(s.suites, out);
  }
  return out;
};
const playwrightCounts = (file: string): Counts | undefined => {
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
    suites?: PlaywrightSuite[];
  };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped, failures: playwrightFailures(r.suites) };
};
type VerifyStep = { outcome: string; detail?: string };
const verifyCounts = (file: string): Counts | undefined => {
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    passed: number;
    failed: number;
    skipped: number;
    lessons?: {
      lesson: string;
      outcome: string;
      reason?: string;
      setup?: VerifyStep;
      tasks?: ({ taskId: string } & Record<string, VerifyStep | string>)[];
      variants?: { taskId: string; kind: string; id: string; outcome: string; detail?: string }[];
    }[];
  };
  const failures: string[] = [];
  for (const l of (r.lessons ?? []).filter((x) => x.outcome === 'failed')) {
    const why = [l.reason, l.setup?.outcome === 'failed' ? `setup: ${l.setup.detail}` : undefined];
    for (const t of l.tasks ?? []) {
      for (const [step, v] of Object.entries(t)) if (typeof v === 'object' && v.outcome === 'failed') why.push(`${t.taskId} / ${step}: ${v.detail}`);
    }
    if (why.some(Boolean)) failures.push(`${l.lesson}: ${firstLine(why.filter(Boolean).join('; '))}`);
    // One line per near miss that was not rejected and per right variant that failed: each is its own fix.
    for (const v of (l.variants ?? []).filter((x) => x.outcome === 'failed'))
      failures.push(`${l.lesson} › ${v.taskId} › ${v.kind === 'wrong' ? 'near miss' : 'right variant'} ${v.id}: ${firstLine(v.detail)}`);
  }
  return { passed: r.passed, failed: r.failed, skipped: r.skipped, failures };
};

/** The stock-kernel VM writes the guest's vitest reports (vitest*.json) and `lab verify`'s, and the browser test's, into one folder. */
const stockHostCounts = (dir: string): Counts | undefined => {
  const vitestReports = existsSync(dir) ? readdirSync(dir).filter((f) => /^vitest.*\.json$/.test(f)) : [];
  const parts = [
    ...vitestReports.map((f) => vitestCounts(path.join(dir, f))),
    verifyCounts(path.join(dir, 'verify.json')),
    playwrightCounts(path.join(dir, 'e2e.json')),
  ].filter((c) => c !== undefined);
  if (!parts.length) return undefined;
  return {
    passed: parts.reduce((n, c) => n + c.passed, 0),
    failed: parts.reduce((n, c) => n + c.failed, 0),
    skipped: parts.reduce((n, c) => n + c.skipped, 0),
    failures: parts.flatMap((c) => c.failures ?? []),
  };
};
const stockHostWhyNot = await stockHostUnavailable();

const vitest = (project: string): Step => ({
  name: `${project} tests`,
  cmd: ['npx', 'vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report(project)}`],
  counts: vitestCounts,
  report: report(project),
});

const steps: Step[] = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: ['npx', 'eslint', '--max-warnings=0', '.'] },
  { name: 'format (prettier)', cmd: ['npx', 'prettier', '--check', '--log-level=warn', '**/*.{ts,tsx,mjs,css}'] },
  { name: 'content check', cmd: ['node', 'course/content/check-cli.ts'] },
  { name: 'workflow lint (actionlint)', cmd: ['node', 'tests/lint-workflows.ts'] },
  vitest('unit'),
  vitest('integration'),
  {
    name: 'lesson verification (lab verify all)',
    cmd: ['node', 'lab-runner/cli/lab.ts', 'verify', 'all', `--report=${report('verify')}`],
    counts: verifyCounts,
    report: report('verify'),
  },
  {
    name: 'exam verification (lab verify exams)',
    cmd: ['node', 'lab-runner/cli/lab.ts', 'verify', 'exams', `--report=${report('verify-exams')}`],
    counts: verifyCounts,
    report: report('verify-exams'),
  },
  // The same escape tests and lesson verification again on the confining engine: dockerd --userns-remap, started by
  // .ci/run (.ci/userns-engine.sh), which exports its socket. The escape tests build the lab images there first.
  ...usernsSteps(process.env.PACKETWALK_USERNS_DOCKER_HOST),
  vitest('kind'),
  {
    name: 'e2e (Playwright, Chromium)',
    cmd: ['npx', 'playwright', 'test', '--reporter=list,json'],
    counts: playwrightCounts,
    report: report('e2e'),
    env: { E2E_DATA_DIR: e2eDataDir },
  },
  // npm test leaves nothing running: the e2e learners' labs outlive the stopped server by design, so remove its store's.
  { name: 'e2e cleanup', cmd: ['node', 'tests/e2e/remove-store-labs.ts', e2eDataDir] },
  // Classrooms (#17): the site with accounts + SSO (a real OIDC provider on loopback); reuses the build just made.
  {
    name: 'e2e classroom (Playwright, Chromium, AUTH=accounts + SSO)',
    cmd: ['npx', 'playwright', 'test', '-c', 'playwright.classroom.config.ts', '--reporter=list,json'],
    counts: playwrightCounts,
    report: report('e2e-classroom'),
    env: { E2E_CLASSROOM_DATA_DIR: e2eClassroomDataDir, E2E_REUSE_BUILD: '1', PLAYWRIGHT_JSON_OUTPUT_NAME: report('e2e-classroom') },
  },
  { name: 'e2e classroom cleanup', cmd: ['node', 'tests/e2e/remove-store-labs.ts', e2eClassroomDataDir] },
  // A host like the users' (Debian's kernel: AppArmor, cgroup v2, sch_netem) in a VM: the escape tests under the
  // packetwalk-node profile, the impairments on a real netem, every lesson verified under AppArmor, then the site
  // served from the VM for the impairment e2e spec in Chromium here (tests/stock-host/). Last: it reuses the e2e build.
  // Alone, not beside the host's steps: tried on 2026-12-07 (CI runs 16 and 17 here, 2 cores), started in the background
  // after the integration tests under nice -n 10, it saved ~3 of ~35 min: the machine was then ~95% busy, lab verify
  // took 308 s instead of 194 and the e2e run 512 s instead of 385, and the VM itself 1,386 s instead of 940.
  {
    name: 'stock-kernel VM (AppArmor, cgroup v2, netem)',
    cmd: ['node', 'tests/stock-host/vm.ts', `--out=${path.join(reportsDir, 'stock-host')}`],
    counts: stockHostCounts,
    report: path.join(reportsDir, 'stock-host'),
    unavailable: () => stockHostWhyNot,
  },
];

function usernsSteps(dockerHost: string | undefined): Step[] {
  const env = { DOCKER_HOST: dockerHost ?? '', PACKETWALK_EXPECT_ISOLATION: 'userns' };
  const unavailable = () =>
    dockerHost ? undefined : 'PACKETWALK_USERNS_DOCKER_HOST is unset (start the engine with .ci/userns-engine.sh and export what it prints)';
  return [
    {
      // Seconds instead of a rebuild: the escape tests' image step then finds the images up to date by content hash.
      name: 'lab images to the userns engine',
      cmd: ['bash', '.ci/userns-engine.sh', 'images'],
      unavailable,
    },
    {
      name: 'escape tests (userns engine)',
      cmd: [
        'npx',
        'vitest',
        'run',
        '--project',
        'integration',
        'tests/integration/isolation',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report('escapes-userns')}`,
      ],
      counts: vitestCounts,
      report: report('escapes-userns'),
      env,
      unavailable,
    },
    {
      name: 'lesson verification (userns engine)',
      cmd: ['node', 'lab-runner/cli/lab.ts', 'verify', 'all', '--skip-variants', `--report=${report('verify-userns')}`],
      counts: verifyCounts,
      report: report('verify-userns'),
      env,
      unavailable,
    },
  ];
}

function run(step: Step): Promise<number> {
  return new Promise((resolve) => {
    const [bin, ...args] = step.cmd;
    const child = spawn(bin!, args, {
      stdio: 'inherit',
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report('e2e'), FORCE_COLOR: process.env.CI ? '0' : '1', ...step.env },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

const only = process.argv.slice(2);
const results: { step: Step; code: number; seconds: number; counts?: Counts }[] = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  const skipped = step.unavailable?.();
  if (skipped) {
    process.stdout.write(`\n━━━ ${step.name}: skipped, ${skipped}\n`);
    results.push({ step, code: 0, seconds: 0, counts: { passed: 0, failed: 0, skipped: 1 } });
    continue;
  }
  process.stdout.write(`\n━━━ ${step.name}: ${step.cmd.join(' ')}\n`);
  const t0 = performance.now();
  const code = await run(step);
  const counts = step.counts && step.report ? step.counts(step.report) : undefined;
  results.push({ step, code, seconds: (performance.now() - t0) / 1000, counts });
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
process.stdout.write('\n━━━ summary\n');
for (const r of results) {
  const c = r.counts;
  // A step without a report (typecheck, lint, content check) counts as one check.
  const counts = c ?? (r.code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 });
  // A runner that exits non-zero with no failed test in its report (crash, setup error) still fails the run.
  if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  const status = r.code === 0 ? 'ok  ' : 'FAIL';
  process.stdout.write(
    `${status} ${r.step.name.padEnd(40)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(3)} failed ${String(counts.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)}s\n`,
  );
}
const failures = results.flatMap((r) => (r.counts?.failures ?? []).map((f) => `${r.step.name}: ${f}`));
if (failures.length) {
  process.stdout.write('\n━━━ failed tests\n');
  for (const f of failures) process.stdout.write(`  ✗ ${f}\n`);
}
process.stdout.write(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
