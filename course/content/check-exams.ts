// content:check for practice exams (content/exams/<slug>/exam.yaml): the schema, and every drawable task exists in its
// lesson's challenge. Lab-level proof (each task fails before and passes after its solution) is `lab verify exams`.
import { loadExams, checkExamReferences } from '../exam/exam-loader.ts';
import { contentLessonChallenges } from '../challenge/lesson-challenges.ts';
import type { ContentIssue } from './content-issue.ts';

export async function checkExams(contentDir: string): Promise<{ issues: ContentIssue[]; exams: number }> {
  const { exams, issues } = loadExams(contentDir);
  const lessons = contentLessonChallenges(contentDir);
  const out: ContentIssue[] = issues.map((i) => ({ file: i.file, ...(i.field ? { field: i.field } : {}), message: i.message }));
  for (const e of exams) {
    for (const i of await checkExamReferences(e, lessons)) out.push({ file: i.file, ...(i.field ? { field: i.field } : {}), message: i.message });
  }
  return { issues: out, exams: exams.length };
}
