// What a learner's page receives about a challenge: GET /api/challenge/state, the stream's "state" and "error" events,
// the answers to check, hint and solution, and the catalog's GET /api/challenge/progress. Statuses, verdicts,
// revealed hints and solutions as HTML; never the check scripts, the setup, unrevealed hints or solutions.
// The grader builds these (grader/challenge-view.ts decides what is revealed); the browser imports them from here.
import type { ErrorBody } from './error-body.ts';

/** What a task row shows. "checking" is derived: a check of a task that has not passed is running now. */
export type TaskStatus = 'blocked' | 'pending' | 'checking' | 'passed' | 'failed';

/** A check's final JSON line {"observed","expected","hint"}, bounded and sanitised (grader/verdict.ts). */
export interface StructuredVerdict {
  observed?: string;
  expected?: string;
  hint?: string;
}

/** Why a task is not passed: its last check's verdict, or the broken invariant's. */
export interface TaskVerdictView {
  outcome: 'failed' | 'timeout' | 'error';
  summary: string;
  failLines: string[];
  structured?: StructuredVerdict;
}

export interface TaskView {
  id: string;
  title: string;
  descriptionHtml: string;
  status: TaskStatus;
  needs: string[];
  /** Unpassed needs, when blocked. */
  blockedBy: string[];
  verdict?: TaskVerdictView;
  passedAt?: number;
  lastCheckedAt?: number;
  hintsTotal: number;
  /** Revealed hints only, in order. */
  hintsHtml: string[];
  solutionRevealed: boolean;
  /** Present only once revealed. */
  solutionHtml?: string;
}

/**
 * 'other-lesson': the lab was prepared for a different lesson of the same sandbox (a learner moved on and kept the lab).
 * This lesson's setup has not run on it and its tasks are not checked until the lab is reset for this lesson.
 */
export type SetupStatus = 'running' | 'done' | 'failed' | 'other-lesson';

/** The lesson a lab was prepared for, when that is not the lesson asking. */
export interface SetupLesson {
  lesson: string;
  title: string;
  href?: string;
}

/** How many of a lesson's tasks are passed. */
export interface TaskCount {
  passed: number;
  total: number;
}

export interface ChallengeView {
  lesson: string;
  labId: string;
  setup: SetupStatus;
  setupError?: string;
  /** Present when setup is 'other-lesson': the lesson the lab is set up for. */
  setupLesson?: SetupLesson;
  tasks: TaskView[];
  progress: TaskCount;
  completedAt?: number;
  lastCheckedAt?: number;
  /** A round is running now. */
  checking: boolean;
  /** Server time when this view was made, so the page can say "checked 2 s ago" without trusting its own clock. */
  serverNow: number;
}

/** One lesson's row of the catalog's progress: every lesson with a challenge, touched or not. */
export interface LessonProgressSummary extends TaskCount {
  lesson: string;
  title: string;
  href: string;
  completedAt?: number;
}

/** GET /api/challenge/progress. */
export interface ProgressCatalogView {
  lessons: LessonProgressSummary[];
}

/** The data of the challenge stream's "error" event: the error body and the status a JSON route would have answered. */
export type ChallengeStreamError = ErrorBody & { status: number };
