// What the grader showed a learner, per task, condensed for the trainer: when they first met the task, how many
// distinct wrong answers they gave, since when the same check fails the same way (stuck), when it passed.
//   attempts: each change of the failing verdict's summary after the first one is a new attempt; the pass is one too.
//   time on task: first seen -> passed (or -> now while not passed).
import type { DatabaseSync } from 'node:sqlite';

export type ObservedStatus = 'blocked' | 'pending' | 'checking' | 'passed' | 'failed';

export interface ObservedTask {
  id: string;
  status: ObservedStatus;
  /** The failing verdict's one-line summary. */
  summary?: string;
  passedAt?: number;
}

export interface TaskActivity {
  learnerId: string;
  lesson: string;
  taskId: string;
  firstSeenAt: number;
  attempts: number;
  failingSince?: number;
  passedAt?: number;
}

interface Row {
  learner_id: string;
  lesson: string;
  task_id: string;
  first_seen_at: number;
  attempts: number;
  failing_summary: string | null;
  failing_since: number | null;
  passed_at: number | null;
}

const toActivity = (r: Row): TaskActivity => ({
  learnerId: r.learner_id,
  lesson: r.lesson,
  taskId: r.task_id,
  firstSeenAt: r.first_seen_at,
  attempts: r.attempts,
  ...(r.failing_since !== null ? { failingSince: r.failing_since } : {}),
  ...(r.passed_at !== null ? { passedAt: r.passed_at } : {}),
});

export class TaskActivityStore {
  readonly #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Folds one view of a lesson's tasks into the activity; returns the tasks whose activity changed. */
  observe(learnerId: string, lesson: string, tasks: ObservedTask[], now: number): TaskActivity[] {
    const changed: TaskActivity[] = [];
    const get = this.#db.prepare('SELECT * FROM task_activity WHERE learner_id = ? AND lesson = ? AND task_id = ?');
    const put = this.#db.prepare(
      `INSERT INTO task_activity (learner_id, lesson, task_id, first_seen_at, attempts, failing_summary, failing_since, passed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (learner_id, lesson, task_id) DO UPDATE SET attempts = excluded.attempts, failing_summary = excluded.failing_summary,
         failing_since = excluded.failing_since, passed_at = excluded.passed_at`,
    );
    for (const t of tasks) {
      if (t.status === 'blocked' || t.status === 'checking') continue;
      const old = get.get(learnerId, lesson, t.id) as Row | undefined;
      let attempts = old?.attempts ?? 0;
      let summary = old?.failing_summary ?? null;
      let since = old?.failing_since ?? null;
      let passedAt = old?.passed_at ?? null;
      if (t.status === 'passed') {
        if (passedAt === null) attempts += 1;
        passedAt = t.passedAt ?? passedAt ?? now;
        summary = null;
        since = null;
      } else {
        passedAt = null; // regressed or reset: graded afresh
        if (t.status === 'failed') {
          const s = t.summary ?? '';
          if (summary === null) since = now;
          else if (s !== summary) {
            attempts += 1;
            since = now;
          }
          summary = s;
        }
      }
      if (old && old.attempts === attempts && old.failing_summary === summary && old.failing_since === since && old.passed_at === passedAt) continue;
      put.run(learnerId, lesson, t.id, old?.first_seen_at ?? now, attempts, summary, since, passedAt);
      changed.push(
        toActivity({
          learner_id: learnerId,
          lesson,
          task_id: t.id,
          first_seen_at: old?.first_seen_at ?? now,
          attempts,
          failing_summary: summary,
          failing_since: since,
          passed_at: passedAt,
        }),
      );
    }
    return changed;
  }

  forLearners(learnerIds: string[], lessons: string[]): TaskActivity[] {
    if (learnerIds.length === 0 || lessons.length === 0) return [];
    const rows = this.#db
      .prepare(`SELECT * FROM task_activity WHERE learner_id IN (${learnerIds.map(() => '?').join(',')}) AND lesson IN (${lessons.map(() => '?').join(',')})`)
      .all(...learnerIds, ...lessons) as unknown as Row[];
    return rows.map(toActivity);
  }
}
