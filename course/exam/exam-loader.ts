// Reads content/exams/<slug>/exam.yaml (zod-validated, strict) and checks each drawable task against the course:
// the lesson has a challenge and the task exists in it. Used by the exam service, content:check and lab verify.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { LessonChallenge, LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import { examSchema, type Exam } from './exam-schema.ts';

export const EXAMS_DIR = 'exams';
export const EXAM_FILE = 'exam.yaml';

export interface LoadedExam {
  slug: string;
  file: string;
  exam: Exam;
}

export interface ExamIssue {
  file: string;
  field?: string;
  message: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Every exam under <contentDir>/exams, in slug order, and the problems found (an invalid exam is left out). */
export function loadExams(contentDir: string): { exams: LoadedExam[]; issues: ExamIssue[] } {
  const dir = path.join(contentDir, EXAMS_DIR);
  const exams: LoadedExam[] = [];
  const issues: ExamIssue[] = [];
  if (!fs.existsSync(dir)) return { exams, issues };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name, EXAM_FILE);
    if (!SLUG.test(entry.name)) {
      issues.push({ file: path.join(dir, entry.name), message: `exam directory "${entry.name}" is not a slug (lowercase letters, digits, dashes)` });
      continue;
    }
    if (!fs.existsSync(file)) {
      issues.push({ file: path.join(dir, entry.name), message: `exam directory has no ${EXAM_FILE}` });
      continue;
    }
    let raw: unknown;
    try {
      raw = parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      issues.push({ file, message: `not valid YAML: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const parsed = examSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push({ file, field: i.path.join('.') || undefined, message: i.message });
      continue;
    }
    exams.push({ slug: entry.name, file, exam: parsed.data });
  }
  return { exams, issues };
}

/** Problems with the exam's references: a lesson without a challenge, a task the challenge does not have. */
export async function checkExamReferences(loaded: LoadedExam, lessons: LessonChallengeSource): Promise<ExamIssue[]> {
  const issues: ExamIssue[] = [];
  const cache = new Map<string, LessonChallenge | undefined>();
  for (const [i, pool] of loaded.exam.pools.entries()) {
    for (const [j, item] of pool.tasks.entries()) {
      if (!cache.has(item.lesson)) cache.set(item.lesson, await lessons.get(item.lesson).catch(() => undefined));
      const lesson = cache.get(item.lesson);
      const field = `pools.${i}.tasks.${j}`;
      if (!lesson) issues.push({ file: loaded.file, field: `${field}.lesson`, message: `no lesson "${item.lesson}" with a challenge` });
      else if (!lesson.challenge.tasks.some((t) => t.id === item.task))
        issues.push({
          file: loaded.file,
          field: `${field}.task`,
          message: `lesson ${item.lesson} has no task "${item.task}" (tasks: ${lesson.challenge.tasks.map((t) => t.id).join(', ')})`,
        });
    }
  }
  return issues;
}
