// The trainer's grid: learners x tasks, built from the progress store (passes, hints, solutions) and the task
// activity (first seen, attempts, failing since). Pure given its inputs, so a cell is computed the same way for the
// first snapshot and for every live update.
import type { LessonProgress, ProgressStore } from '../store/progress-store.ts';
import type { LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import type { Lab } from '../lab/lab.ts';
import type { AccountStore } from './account-store.ts';
import type { ClassRecord, ClassStore } from './class-store.ts';
import type { TaskActivity, TaskActivityStore } from './task-activity.ts';
import type { CellState, ClassGrid, GridCell, GridLearner } from '../wire/classroom.ts';

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
  return (
    !!a &&
    a.state === b.state &&
    a.attempts === b.attempts &&
    a.hintsRevealed === b.hintsRevealed &&
    a.solutionRevealed === b.solutionRevealed &&
    a.passedAt === b.passedAt &&
    a.firstSeenAt === b.firstSeenAt
  );
}

export interface GridSources {
  classes: ClassStore;
  accounts: AccountStore;
  activity: TaskActivityStore;
  lessons: LessonChallengeSource;
  progress: Pick<ProgressStore, 'lessonProgress'>;
  /** Live labs, for each learner's lab line; absent in the shell export (it reads the database only). */
  labs?: { list(): Promise<Lab[]> };
}

const isLive = (l: Lab) => l.state === 'ready' || l.state === 'paused' || l.state === 'pending';

/** The whole grid of a class: its lessons and tasks, its learners (with help requests and labs) and every cell. */
export async function buildClassGrid(src: GridSources, c: ClassRecord, stuckAfterMs: number, now: number): Promise<ClassGrid> {
  const lessons = [];
  for (const id of c.lessons) {
    const l = await src.lessons.get(id);
    lessons.push({ lesson: id, title: l?.title ?? id, href: l?.href ?? '#', tasks: (l?.challenge.tasks ?? []).map((t) => ({ id: t.id, title: t.title })) });
  }
  const help = src.classes.openHelp(c.id);
  const members = src.classes.members(c.id).flatMap((m) => {
    const account = src.accounts.byId(m.userId);
    return account ? [{ account, joinedAt: m.joinedAt }] : [];
  });
  const activity = src.activity.forLearners(
    members.map((m) => m.account.learnerId),
    c.lessons,
  );
  const labsByLearner = new Map<string, Lab>();
  for (const lab of ((await src.labs?.list()) ?? []).filter(isLive)) {
    const prev = labsByLearner.get(lab.learnerId);
    if (!prev || +lab.createdAt > +prev.createdAt) labsByLearner.set(lab.learnerId, lab);
  }
  const learners: GridLearner[] = [];
  const cells: GridCell[] = [];
  for (const { account, joinedAt } of members) {
    const h = help.get(account.id);
    const lab = labsByLearner.get(account.learnerId);
    learners.push({
      userId: account.id,
      name: account.name,
      email: account.email,
      joinedAt,
      ...(h ? { help: h } : {}),
      ...(lab ? { lab: labSummary(lab) } : {}),
    });
    for (const lesson of lessons) {
      const progress = await src.progress.lessonProgress(account.learnerId, lesson.lesson);
      for (const task of lesson.tasks) {
        const a = activity.find((x) => x.learnerId === account.learnerId && x.lesson === lesson.lesson && x.taskId === task.id);
        cells.push(cellOf({ userId: account.id, lesson: lesson.lesson, taskId: task.id, progress, activity: a, stuckAfterMs, now }));
      }
    }
  }
  return { classId: c.id, name: c.name, lessons, learners, cells, stuckAfterMs, serverNow: now };
}

export function labSummary(lab: Lab): NonNullable<GridLearner['lab']> {
  const targets = 'targets' in lab && Array.isArray(lab.targets) ? lab.targets.map((t: { name: string }) => t.name) : [];
  return { id: lab.id, template: lab.template, state: lab.state, expiresAt: +lab.expiresAt, targets };
}
