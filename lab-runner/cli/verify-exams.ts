// npm run lab -- verify exams [--report=file.json] | verify exam:<slug>
// Proves every task the exams (content/exams) can draw (lab-runner/practice/verify-exam.ts). Exit code 1 on any failure.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../lib/config.ts';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';
import { ArtefactStore, artefactsDir } from '../artefacts/artefact-store.ts';
import { contentLessonChallenges } from '../../course/challenge/lesson-challenges.ts';
import { createPlatform } from '../platform.ts';
import { loadExams } from '../../course/exam/exam-loader.ts';
import { verifyLearners } from './verify-learner.ts';
import { drawableTasks, formatExamItem, verifyExamItem, type ExamItemVerification } from '../practice/verify-exam.ts';

export async function runVerifyExams(which: string, report: string | undefined): Promise<number> {
  const roots = contentRootsFromEnv();
  const { exams, issues } = loadExams(roots.contentDir);
  if (issues.length > 0) {
    process.stderr.write(
      `Invalid exams (npm run content:check shows them all):\n${issues.map((i) => `  ${path.relative(roots.baseDir, i.file)} ${i.field ?? ''}: ${i.message}`).join('\n')}\n`,
    );
    return 1;
  }
  const selected = which === 'exams' ? exams : exams.filter((e) => `exam:${e.slug}` === which);
  if (selected.length === 0) {
    process.stderr.write(`No exam "${which}". Exams: ${exams.map((e) => `exam:${e.slug}`).join(', ') || '(none)'}\n`);
    return which === 'exams' ? 0 : 2;
  }
  const config = loadConfig();
  const platform = await createPlatform(config);
  const items = drawableTasks(selected);
  const results: ExamItemVerification[] = new Array(items.length);
  const t0 = Date.now();
  try {
    const queue = items.map((item, index) => ({ item, index }));
    // Two at a time, each under its own learner id (LAB_MAX_PER_LEARNER is small), as lab verify does.
    const learnerOf = verifyLearners('exam');
    const worker = async (n: number) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const r = await verifyExamItem(next.item, {
          labs: platform.labs,
          lessons: contentLessonChallenges(roots.contentDir),
          artefacts: new ArtefactStore({ dir: artefactsDir(config.DATA_DIR) }),
          learnerId: learnerOf(n),
          onProgress: (line) => process.stdout.write(`  · ${line}\n`),
        });
        results[next.index] = r;
        process.stdout.write(`${formatExamItem(r)}\n`);
      }
    };
    await Promise.all([0, 1].slice(0, Math.min(2, items.length)).map(worker));
  } finally {
    await platform.close();
  }
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const summary = { passed: results.length - failed, failed, skipped: 0, lessons: results };
  if (report) {
    await mkdir(path.dirname(path.resolve(report)), { recursive: true });
    await writeFile(report, JSON.stringify(summary, null, 2));
  }
  process.stdout.write(
    `\n${summary.passed} passed, ${failed} failed (${items.length} drawable tasks in ${selected.length} exam${selected.length === 1 ? '' : 's'}) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return failed > 0 ? 1 : 0;
}
