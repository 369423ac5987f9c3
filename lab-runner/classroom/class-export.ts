// Class progress for spreadsheets and scripts: one row per learner per task (passed at, attempts, hints used,
// solution revealed, time on task). CSV quotes every field that needs it (RFC 4180).
import type { ClassGrid } from '../wire/classroom.ts';

export interface ExportRow {
  class: string;
  learner: string;
  email: string;
  lesson: string;
  task: string;
  state: string;
  passedAt: string;
  attempts: number;
  hintsUsed: number;
  solutionRevealed: boolean;
  timeOnTaskSeconds: number;
}

export function exportRows(grid: ClassGrid): ExportRow[] {
  const rows: ExportRow[] = [];
  for (const learner of grid.learners) {
    for (const lesson of grid.lessons) {
      for (const task of lesson.tasks) {
        const c = grid.cells.find((x) => x.userId === learner.userId && x.lesson === lesson.lesson && x.taskId === task.id);
        rows.push({
          class: grid.name,
          learner: learner.name,
          email: learner.email,
          lesson: lesson.lesson,
          task: task.id,
          state: c?.state ?? 'not-started',
          passedAt: c?.passedAt !== undefined ? new Date(c.passedAt).toISOString() : '',
          attempts: c?.attempts ?? 0,
          hintsUsed: c?.hintsRevealed ?? 0,
          solutionRevealed: c?.solutionRevealed ?? false,
          timeOnTaskSeconds: Math.round((c?.timeOnTaskMs ?? 0) / 1000),
        });
      }
    }
  }
  return rows;
}

const COLUMNS: (keyof ExportRow)[] = [
  'class',
  'learner',
  'email',
  'lesson',
  'task',
  'state',
  'passedAt',
  'attempts',
  'hintsUsed',
  'solutionRevealed',
  'timeOnTaskSeconds',
];

function csvField(v: string | number | boolean): string {
  const s = String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet: a learner's name must not run in the trainer's Excel.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: ExportRow[]): string {
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((k) => csvField(r[k])).join(','))].join('\r\n') + '\r\n';
}
