// Builds what a learner's page receives about a challenge (the types are the wire's: lab-runner/wire/challenge.ts):
// statuses, verdicts, revealed hints and solutions, as HTML. Never the check scripts, the setup, unrevealed hints or
// unrevealed solutions.
import type { LessonProgress } from '../store/progress-store.ts';
import type { Challenge } from '../../course/challenge/challenge-schema.ts';
import { renderChallengeMarkdown } from './challenge-markdown.ts';
import { progressOf, unmetNeeds, viewStatus } from './grading-state.ts';
import type { GradingState } from './grading-state.ts';
import type { ChallengeView, SetupLesson, SetupStatus, TaskView } from '../wire/challenge.ts';

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
        ? {
            verdict: {
              outcome: s.verdict.outcome,
              summary: s.verdict.summary,
              failLines: s.verdict.failLines,
              ...(s.verdict.structured ? { structured: s.verdict.structured } : {}),
            },
          }
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
