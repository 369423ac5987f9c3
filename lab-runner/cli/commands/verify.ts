// npm run lab -- verify <lesson|all> [--report=file.json] [--skip-variants] [--jobs=N] [--variant-labs=N] [--timeout-scale=N]
// Proves each lesson's challenge on a real lab (see lab-runner/grader/verify-lesson.ts). Exit code 1 on any failure.
// A lesson whose runtime is not available here (kind without its node image) is reported "skipped", never "passed".
// Lessons run a few at a time (their labs are independent); each lesson's table is printed when it finishes, and the
// summary and the report keep course order.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { contentRootsFromEnv } from '../../../course/content/content-paths.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import { setLogLevel } from '../../../lib/log.ts';
import { ArtefactStore, artefactsDir } from '../../artefacts/artefact-store.ts';
import { ChallengeError, formatChallengeIssue } from '../../../course/challenge/challenge-loader.ts';
import { contentLessonChallenges } from '../../../course/challenge/lesson-challenges.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { verifyLesson } from '../../grader/verify-lesson.ts';
import { MAX_TIMEOUT_SCALE, scaleChallengeTimeouts } from '../../grader/timeout-scale.ts';
import type { LessonVerification } from '../../grader/verify-lesson.ts';
import { formatLessonVerification, summarise, summaryLine } from '../../grader/verify-report.ts';
import { createPlatform } from '../../platform.ts';
import { DockerRuntime } from '../../docker/docker-runtime.ts';
import { PreflightError } from '../../kind/host-preflight.ts';
import { describeHost, type HostReport } from '../../kind/host-report.ts';
import { loadKindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { kubernetesVersionOfImage } from '../../../course/sandbox/kind/node-images.ts';
import { runVerifyExams } from '../verify-exams.ts';
import { kubeRecorder } from '../verify-record-kube.ts';
import { verifyLearners } from '../verify-learner.ts';

/** Measured on 2 cores (docs/challenges.md): most of a check's time is waiting on execs, pings and curls, not CPU. */
const DEFAULT_JOBS = 2;
const DEFAULT_VARIANT_LABS = 2;

export const verifyUsage = `Usage: npm run lab -- verify <lesson|all|kind> [--report=<file.json>] [--skip-variants] [--jobs=N] [--variant-labs=N] [--verbose]
  <lesson>          a lesson id (pods/pods-and-network-namespaces), its slug, or its directory under content/
  all               every lesson that has a challenge.yaml
  kind              every lesson on a kind sandbox; its report also describes the host (facts, preflight)
  exams, exam:<slug> every task the practice exams (content/exams) can draw: fails before, passes after its solution
  --skip-variants   only setup, solutions and invariants: no near misses (wrong:) or right variants (right:)
  --jobs=N          lessons verified at once (default ${DEFAULT_JOBS})
  --variant-labs=N  labs per lesson working through its near misses and variants at once (default ${DEFAULT_VARIANT_LABS})
  --record-kube=DIR on each kind lesson's lab, once its solutions passed: record what the map's kind views read into
                    DIR/<module>__<lesson>/ (replayed by KUBE_RECORDED_DIR=DIR tests/unit/network/kube-views-recorded.test.ts)
  --timeout-scale=N every check, setup and variant timeout times N (1 to ${MAX_TIMEOUT_SCALE}), for a much slower host such as an
                    emulated CPU (tests/stock-host/); what a check accepts does not change`;

export const command = {
  summary: "prove lessons' challenges on real labs: setup, fail first, solutions, pass after, invariants",
  usage: verifyUsage,
  run: (args: string[]) => runVerifyCommand(args),
};

export async function runVerifyCommand(args: string[]): Promise<number> {
  const positional = args.filter((a) => !a.startsWith('--'));
  const report = args.find((a) => a.startsWith('--report='))?.slice('--report='.length);
  const verbose = args.includes('--verbose');
  const skipVariants = args.includes('--skip-variants');
  const jobs = count(args, '--jobs', DEFAULT_JOBS);
  const variantLabs = count(args, '--variant-labs', DEFAULT_VARIANT_LABS);
  const recordKube = args.find((a) => a.startsWith('--record-kube='))?.slice('--record-kube='.length);
  const timeoutScale = count(args, '--timeout-scale', 1, MAX_TIMEOUT_SCALE);
  const unknown = args.filter(
    (a) => a.startsWith('--') && !/^--(report=.+|verbose|skip-variants|jobs=.*|variant-labs=.*|record-kube=.+|timeout-scale=.*)$/.test(a),
  );
  if (positional.length !== 1 || unknown.length > 0 || jobs === undefined || variantLabs === undefined || timeoutScale === undefined) {
    if (unknown.length > 0) process.stderr.write(`Unknown option${unknown.length > 1 ? 's' : ''}: ${unknown.join(' ')}\n`);
    if (jobs === undefined || variantLabs === undefined) process.stderr.write('--jobs and --variant-labs take a whole number from 1 to 8\n');
    if (timeoutScale === undefined) process.stderr.write(`--timeout-scale takes a whole number from 1 to ${MAX_TIMEOUT_SCALE}\n`);
    process.stderr.write(`${verifyUsage}\n`);
    return 2;
  }
  if (!verbose) setLogLevel('warn');
  // Practice exams: every drawable task, in the state an attempt gives it (lab-runner/practice/verify-exam.ts).
  if (positional[0] === 'exams' || positional[0]!.startsWith('exam:')) return runVerifyExams(positional[0]!, report);
  const roots = contentRootsFromEnv();
  const source = contentLessonChallenges(roots.contentDir);
  let lessons: LessonChallenge[];
  try {
    lessons = await source.list();
  } catch (err) {
    if (err instanceof ChallengeError) {
      process.stderr.write(
        `Invalid challenge:\n${err.issues.map((i) => '  ' + formatChallengeIssue({ ...i, file: path.relative(roots.baseDir, i.file) })).join('\n')}\n`,
      );
      return 1;
    }
    throw err;
  }
  const wanted = positional[0]!;
  const sandboxes = new SandboxCatalog(roots.sandboxesDir).describe();
  const isKind = (l: LessonChallenge) => sandboxes.get(l.sandbox)?.kind === 'kind';
  const selected = wanted === 'all' ? lessons : wanted === 'kind' ? lessons.filter(isKind) : lessons.filter((l) => matches(l, wanted, roots.baseDir));
  if (selected.length === 0) {
    process.stderr.write(
      wanted === 'all'
        ? 'No lesson has a challenge.yaml: nothing to verify.\n'
        : `No lesson "${wanted}" with a challenge. Lessons with challenges: ${lessons.map((l) => l.lesson).join(', ') || '(none)'}\n`,
    );
    return wanted === 'all' ? 0 : 2;
  }

  const config = loadConfig();
  const platform = await createPlatform(config);
  const artefacts = new ArtefactStore({ dir: artefactsDir(config.DATA_DIR) });
  const results: LessonVerification[] = new Array(selected.length);
  const recorder = recordKube ? kubeRecorder({ labs: platform.labs, outDir: recordKube, sandboxesDir: roots.sandboxesDir }) : undefined;
  const t0 = Date.now();
  try {
    const queue = selected.map((lesson, index) => ({ lesson, index }));
    // Each lesson worker provisions under a learner id of its own: the per-learner lab limit is small (LAB_MAX_PER_LEARNER).
    const learnerOf = verifyLearners('lesson');
    const verifyNext = async (worker: number) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { lesson, index } = next;
        const started = Date.now();
        // Lessons run side by side: each progress line names its lesson.
        const tag = jobs > 1 ? `[${lesson.lesson.split('/')[1]}] ` : '';
        process.stdout.write(`\n▶ ${lesson.lesson}\n`);
        const result = await verifyLesson(
          { ...lesson, challenge: scaleChallengeTimeouts(lesson.challenge, timeoutScale) },
          {
            labs: platform.labs,
            artefacts,
            learnerId: learnerOf(worker),
            skipVariants,
            variantLabs,
            ...(recorder && isKind(lesson) ? { afterSolutions: (labId: string) => recorder.record(lesson, labId) } : {}),
            unavailableReason: (l, err) => (sandboxes.get(l.sandbox)?.kind === 'kind' ? `kind unavailable (${whyUnavailable(err)})` : undefined),
            onProgress: (line) => process.stdout.write(`  · ${tag}${line}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`),
          },
        );
        results[index] = result;
        process.stdout.write(`\n${formatLessonVerification(result)}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, selected.length) }, (_, worker) => verifyNext(worker)));
  } finally {
    await platform.close();
  }
  const summary = summarise(results);
  if (report) {
    await mkdir(path.dirname(path.resolve(report)), { recursive: true });
    // A report about kind lessons says which host it is about: one shared from somebody's machine must stand alone.
    const host = selected.some(isKind) ? await kindHostReport(selected.find(isKind)!.sandbox, roots.sandboxesDir) : undefined;
    await writeFile(report, JSON.stringify(host ? { ...summary, host } : summary, null, 2));
  }
  process.stdout.write(`\n${summaryLine(summary)} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (recorder) process.stdout.write(recorder.summary());
  return summary.failed > 0 || (recorder?.failed() ?? 0) > 0 ? 1 : 0;
}

/** One line: for a host that is not ready, the failing checks (the first line of the message only says "not ready"). */
function whyUnavailable(err: unknown): string {
  if (err instanceof PreflightError)
    return err.results
      .filter((r) => r.status === 'fail')
      .map((r) => `${r.name}: ${r.detail}`)
      .join('; ');
  return err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
}

async function kindHostReport(sandbox: string, sandboxesDir: string): Promise<HostReport> {
  const template = await loadKindTemplate(path.join(sandboxesDir, sandbox, 'sandbox.yaml'));
  const nodeCount = template.cluster.nodes.length;
  return describeHost(new DockerRuntime(), { nodeCount, kubernetesMinor: kubernetesVersionOfImage(template.nodeImage)?.minor ?? 35 });
}

/** --name=N as a whole number from 1 to 8; the default when absent, undefined when malformed. */
function count(args: string[], name: string, fallback: number, max = 8): number | undefined {
  const raw = args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
}

function matches(l: LessonChallenge, wanted: string, baseDir: string): boolean {
  const w = wanted.replace(/\/+$/, '');
  if (l.lesson === w || l.lesson.split('/')[1] === w) return true;
  const dir = path.dirname(l.challengeFile);
  return path.resolve(baseDir, w) === dir;
}
