// What a learner's page receives about a challenge: statuses, verdicts, revealed hints and solutions, as HTML.
// Never the check scripts, the setup, unrevealed hints or unrevealed solutions.
import type { LessonProgress } from '../store/progress-store.ts';
import type { Challenge } from '../../course/challenge/challenge-schema.ts';
import { renderChallengeMarkdown } from './challenge-markdown.ts';
import { progressOf, unmetNeeds, viewStatus } from './grading-state.ts';
import type { GradingState, TaskStatus } from './grading-state.ts';
import type { StructuredVerdict } from './verdict.ts';

export interface TaskView {
  id: string;
  title: string;
  descriptionHtml: string;
  status: TaskStatus;
  needs: string[];
  /** Unpassed needs, when blocked. */
  blockedBy: string[];
  verdict?: {
    outcome: 'failed' | 'timeout' | 'error';
    summary: string;
    failLines: string[];
    structured?: StructuredVerdict;
  };
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

export interface ChallengeView {
  lesson: string;
  labId: string;
  setup: SetupStatus;
  setupError?: string;
  /** Present when setup is 'other-lesson': the lesson the lab is set up for. */
  setupLesson?: SetupLesson;
  tasks: TaskView[];
  progress: { passed: number; total: number };
  completedAt?: number;
  lastCheckedAt?: number;
  /** A round is running now. */
  checking: boolean;
  /** Server time when this view was made, so the page can say "checked 2 s ago" without trusting its own clock. */
  serverNow: number;
}

export function challengeView(args: {
  lesson: string;
  labId: string;
  challenge: Challenge;
  state: GradingState;
  progress: LessonProgress;
  setup: { status: SetupStatus; error?: string; lesson?: SetupLesson };
  checking: boolean;
  now: number;
}): ChallengeView {
  const { challenge, state, progress } = args;
  const tasks = challenge.tasks.map((task): TaskView => {
    const s = state.tasks.find((t) => t.id === task.id)!;
    const p = progress.tasks.find((t) => t.taskId === task.id);
    const revealed = Math.min(p?.hintsRevealed ?? 0, task.hints.length);
    const status = viewStatus(s);
    return {
      id: task.id,
      title: task.title,
      descriptionHtml: renderChallengeMarkdown(task.description),
      status,
      needs: task.needs,
      blockedBy: status === 'blocked' ? unmetNeeds(challenge, state, task.id) : [],
      ...(s.verdict && s.verdict.outcome !== 'passed' && status !== 'passed' && status !== 'blocked'
        ? { verdict: { outcome: s.verdict.outcome, summary: s.verdict.summary, failLines: s.verdict.failLines, ...(s.verdict.structured ? { structured: s.verdict.structured } : {}) } }
        : {}),
      ...(s.passedAt !== undefined ? { passedAt: s.passedAt } : {}),
      ...(s.lastCheckedAt !== undefined ? { lastCheckedAt: s.lastCheckedAt } : {}),
      hintsTotal: task.hints.length,
      hintsHtml: task.hints.slice(0, revealed).map(renderChallengeMarkdown),
      solutionRevealed: p?.solutionRevealedAt !== undefined,
      ...(p?.solutionRevealedAt !== undefined ? { solutionHtml: renderChallengeMarkdown(task.solution.text) } : {}),
    };
  });
  return {
    lesson: args.lesson,
    labId: args.labId,
    setup: args.setup.status,
    ...(args.setup.error ? { setupError: args.setup.error } : {}),
    ...(args.setup.status === 'other-lesson' && args.setup.lesson ? { setupLesson: args.setup.lesson } : {}),
    tasks,
    progress: progressOf(state),
    ...(state.completedAt !== undefined ? { completedAt: state.completedAt } : {}),
    ...(state.lastCheckedAt !== undefined ? { lastCheckedAt: state.lastCheckedAt } : {}),
    checking: args.checking,
    serverNow: args.now,
  };
}
