// Class export from the shell (npm run progress:export -- --class=<id>): reads the database only, no server needed.
import type { DatabaseSync } from 'node:sqlite';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';
import { contentLessonChallenges } from '../../course/challenge/lesson-challenges.ts';
import { SqliteProgressStore } from '../store/progress-store-sqlite.ts';
import { AccountStore } from './account-store.ts';
import { buildClassGrid } from './class-grid.ts';
import { exportRows, toCsv } from './class-export.ts';
import { ClassStore } from './class-store.ts';
import { ClassroomError } from './classroom-error.ts';
import { TaskActivityStore } from './task-activity.ts';

export async function exportClassForShell(
  db: DatabaseSync,
  classId: string,
  format: 'csv' | 'json',
  stuckAfterMs: number,
  contentDir = contentRootsFromEnv().contentDir,
): Promise<string> {
  const classes = new ClassStore(db);
  const c = classes.get(classId);
  if (!c) throw new ClassroomError('class-not-found', `No class ${classId}. List them with: npm run progress:export -- --classes`);
  const grid = await buildClassGrid(
    {
      classes,
      accounts: new AccountStore(db),
      activity: new TaskActivityStore(db),
      lessons: contentLessonChallenges(contentDir),
      progress: new SqliteProgressStore(db),
    },
    c,
    stuckAfterMs,
    Date.now(),
  );
  const rows = exportRows(grid);
  return format === 'csv'
    ? toCsv(rows)
    : JSON.stringify({ format: 'packetwalk-class-progress/1', class: grid.name, exportedAt: new Date().toISOString(), rows }, null, 2) + '\n';
}

export function listClassesForShell(db: DatabaseSync): string {
  const classes = new ClassStore(db);
  const accounts = new AccountStore(db);
  return classes
    .all()
    .map(
      (c) =>
        `${c.id}\t${c.name}\t${accounts.byId(c.trainerId)?.email ?? '?'}\t${classes.members(c.id).length}/${c.capacity}\t${new Date(c.startsAt).toISOString()}\n`,
    )
    .join('');
}
