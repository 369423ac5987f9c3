// npm run lab -- verify <lesson|all> [--report=file.json]
// Proves each lesson's challenge on a real lab (see lab-runner/grader/verify-lesson.ts). Exit code 1 on any failure.
// A lesson whose runtime is not available here (kind without its node image) is reported "skipped", never "passed".
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { contentRootsFromEnv } from '../../../lib/content/content-paths.ts';
import { readSandboxCatalog } from '../../../lib/content/sandbox-catalog.ts';
import { setLogLevel } from '../../../lib/log.ts';
import { ArtefactStore, artefactsDir } from '../../artefacts/artefact-store.ts';
import { ChallengeError, formatChallengeIssue } from '../../grader/challenge-loader.ts';
import { contentLessonChallenges } from '../../grader/lesson-challenges.ts';
import type { LessonChallenge } from '../../grader/lesson-challenges.ts';
import { verifyLesson } from '../../grader/verify-lesson.ts';
import type { LessonVerification } from '../../grader/verify-lesson.ts';
import { formatLessonVerification, summarise, summaryLine } from '../../grader/verify-report.ts';
import { createPlatform } from '../../platform.ts';
import { DockerRuntime } from '../../docker/docker-runtime.ts';
import { PreflightError } from '../../kind/host-preflight.ts';
import { describeHost, type HostReport } from '../../kind/host-report.ts';
import { loadKindTemplate } from '../../kind/kind-sandbox-schema.ts';
import { kubernetesVersionOfImage } from '../../kind/node-images.ts';

export const verifyUsage = `Usage: npm run lab -- verify <lesson|all|kind> [--report=<file.json>] [--verbose]
  <lesson>  a lesson id (pods/pods-and-network-namespaces), its slug, or its directory under content/
  all       every lesson that has a challenge.yaml
  kind      every lesson on a kind sandbox; its report also describes the host (facts, preflight)`;

export const command = {
  summary: 'prove lessons\' challenges on real labs: setup, fail first, solutions, pass after, invariants',
  usage: verifyUsage,
  run: (args: string[]) => runVerifyCommand(args),
};

export async function runVerifyCommand(args: string[]): Promise<number> {
  const positional = args.filter((a) => !a.startsWith('--'));
  const report = args.find((a) => a.startsWith('--report='))?.slice('--report='.length);
  const verbose = args.includes('--verbose');
  if (positional.length !== 1) {
    process.stderr.write(`${verifyUsage}\n`);
    return 2;
  }
  if (!verbose) setLogLevel('warn');
  const roots = contentRootsFromEnv();
  const source = contentLessonChallenges(roots.contentDir);
  let lessons: LessonChallenge[];
  try {
    lessons = await source.list();
  } catch (err) {
    if (err instanceof ChallengeError) {
      process.stderr.write(`Invalid challenge:\n${err.issues.map((i) => '  ' + formatChallengeIssue({ ...i, file: path.relative(roots.baseDir, i.file) })).join('\n')}\n`);
      return 1;
    }
    throw err;
  }
  const wanted = positional[0]!;
  const sandboxes = readSandboxCatalog(roots.sandboxesDir);
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
  const results: LessonVerification[] = [];
  try {
    for (const lesson of selected) {
      const started = Date.now();
      process.stdout.write(`\n▶ ${lesson.lesson}\n`);
      const result = await verifyLesson(lesson, {
        labs: platform.labs,
        artefacts,
        learnerId: 'lab-verify',
        unavailableReason: (l, err) =>
          sandboxes.get(l.sandbox)?.kind === 'kind' ? `kind unavailable (${whyUnavailable(err)})` : undefined,
        onProgress: (line) => process.stdout.write(`  · ${line}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`),
      });
      results.push(result);
      process.stdout.write(`${formatLessonVerification(result)}\n`);
    }
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
  process.stdout.write(`\n${summaryLine(summary)}\n`);
  return summary.failed > 0 ? 1 : 0;
}

/** One line: for a host that is not ready, the failing checks (the first line of the message only says "not ready"). */
function whyUnavailable(err: unknown): string {
  if (err instanceof PreflightError) return err.results.filter((r) => r.status === 'fail').map((r) => `${r.name}: ${r.detail}`).join('; ');
  return err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
}

async function kindHostReport(sandbox: string, sandboxesDir: string): Promise<HostReport> {
  const template = await loadKindTemplate(path.join(sandboxesDir, sandbox, 'sandbox.yaml'));
  const nodeCount = template.cluster.nodes.length;
  return describeHost(new DockerRuntime(), { nodeCount, kubernetesMinor: kubernetesVersionOfImage(template.nodeImage)?.minor ?? 35 });
}

function matches(l: LessonChallenge, wanted: string, baseDir: string): boolean {
  const w = wanted.replace(/\/+$/, '');
  if (l.lesson === w || l.lesson.split('/')[1] === w) return true;
  const dir = path.dirname(l.challengeFile);
  return path.resolve(baseDir, w) === dir;
}
