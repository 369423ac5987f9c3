// The trainer's grid: learners x tasks, built from the progress store (passes, hints, solutions) and the task
// activity (first seen, attempts, failing since). Pure given its inputs, so a cell is computed the same way for the
// first snapshot and for every live update.
import type { LessonProgress } from '../store/progress-store.ts';
import type { TaskActivity } from './task-activity.ts';
import type { CellState, GridCell } from '../wire/classroom.ts';

export function cellOf(args: {
  userId: string;
  lesson: string;
  taskId: string;
  progress: LessonProgress | undefined;
  activity: TaskActivity | undefined;
  stuckAfterMs: number;
  now: number;
}): GridCell {
  const { userId, lesson, taskId, progress, activity, stuckAfterMs, now } = args;
  const p = progress?.tasks.find((t) => t.taskId === taskId);
  const passedAt = p?.passedAt ?? activity?.passedAt;
  const state: CellState =
    passedAt !== undefined
      ? 'passed'
      : !activity
        ? 'not-started'
        : activity.failingSince !== undefined && now - activity.failingSince >= stuckAfterMs
          ? 'stuck'
          : 'working';
  const firstSeenAt = activity?.firstSeenAt;
  const timeOnTaskMs = firstSeenAt === undefined ? 0 : Math.max(0, (passedAt ?? now) - firstSeenAt);
  return {
    userId,
    lesson,
    taskId,
    state,
    ...(firstSeenAt !== undefined ? { firstSeenAt } : {}),
    ...(passedAt !== undefined ? { passedAt } : {}),
    ...(activity?.failingSince !== undefined && passedAt === undefined ? { failingSince: activity.failingSince } : {}),
    timeOnTaskMs,
    attempts: activity?.attempts ?? (passedAt !== undefined ? 1 : 0),
    hintsRevealed: p?.hintsRevealed ?? 0,
    solutionRevealed: p?.solutionRevealedAt !== undefined,
  };
}

/** Cells that differ in what the trainer sees (state, counters); time on task ticks on the client. */
export function sameCell(a: GridCell | undefined, b: GridCell): boolean {
  return !!a && a.state === b.state && a.attempts === b.attempts && a.hintsRevealed === b.hintsRevealed && a.solutionRevealed === b.solutionRevealed && a.passedAt === b.passedAt && a.firstSeenAt === b.firstSeenAt;
}
