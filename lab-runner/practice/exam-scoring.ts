// Scoring an exam attempt: every task is graded once, with its challenge's check and invariants, like the lesson's
// grader; the score is the number that pass. Pure: the verdicts come in, the result goes out.
import type { Verdict } from '../grader/verdict.ts';

export interface TaskGrade {
  /** Passed: check passed and every invariant held. */
  passed: boolean;
  /** Why not, for the results page: the check's or the broken invariant's verdict. */
  verdict?: Verdict;
  /** The invariant that failed, when the check itself passed. */
  brokenInvariant?: string;
}

/** One task: its check's verdict, and its invariants' (run only when the check passed). */
export function gradeTask(check: Verdict, invariants: { title: string; verdict: Verdict }[]): TaskGrade {
  if (check.outcome !== 'passed') return { passed: false, verdict: check };
  const broken = invariants.find((i) => i.verdict.outcome !== 'passed');
  if (broken) return { passed: false, verdict: broken.verdict, brokenInvariant: broken.title };
  return { passed: true };
}

export function scoreAttempt(grades: TaskGrade[]): { score: number; total: number } {
  return { score: grades.filter((g) => g.passed).length, total: grades.length };
}
