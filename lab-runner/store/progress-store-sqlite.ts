// ProgressStore on SQLite (node:sqlite). The database is opened by the caller (openDatabase in this folder sets WAL and
// runs migrations); every write here is one transaction, so a crash mid-write leaves the previous state, never half of one.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { immediateTransaction } from './database.ts';
import type { LearnerExport, LessonProgress, ProgressStore, RevealEvent, SetupRecord, TaskEvent } from './progress-store.ts';

type Row = Record<string, string | number | null>;

export class SqliteProgressStore implements ProgressStore {
  readonly #db: DatabaseSync;
  readonly #stmts = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  async touchLearner(learnerId: string, at: number): Promise<void> {
    this.#tx(() => this.#touch(learnerId, at));
  }

  async recordTaskPassed(e: TaskEvent): Promise<void> {
    this.#tx(() => {
      this.#touch(e.learnerId, e.at);
      this.#run(
        `INSERT INTO task_completions (learner_id, lesson, lab_id, task_id, passed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (learner_id, lesson, lab_id, task_id) DO UPDATE SET passed_at = excluded.passed_at, regressed_at = NULL
         WHERE task_completions.regressed_at IS NOT NULL`,
        e.learnerId,
        e.lesson,
        e.labId,
        e.taskId,
        e.at,
      );
    });
  }

  async recordTaskRegressed(e: TaskEvent): Promise<void> {
    this.#tx(() => {
      this.#touch(e.learnerId, e.at);
      this.#run(
        `UPDATE task_completions SET regressed_at = ? WHERE learner_id = ? AND lesson = ? AND lab_id = ? AND task_id = ? AND regressed_at IS NULL`,
        e.at,
        e.learnerId,
        e.lesson,
        e.labId,
        e.taskId,
      );
    });
  }

  async recordLessonCompleted(e: Omit<TaskEvent, 'taskId'>): Promise<void> {
    this.#tx(() => {
      this.#touch(e.learnerId, e.at);
      // The first completion counts; a later one does not move the date.
      this.#run(
        `INSERT INTO lesson_completions (learner_id, lesson, lab_id, completed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        e.learnerId,
        e.lesson,
        e.labId,
        e.at,
      );
    });
  }

  async revealNextHint(e: RevealEvent & { available: number }): Promise<number> {
    return this.#tx(() => {
      this.#touch(e.learnerId, e.at);
      const count = this.#hintCount(e.learnerId, e.lesson, e.taskId);
      if (count >= e.available) return count;
      this.#run(
        `INSERT INTO hint_reveals (learner_id, lesson, task_id, hint_index, revealed_at) VALUES (?, ?, ?, ?, ?)`,
        e.learnerId,
        e.lesson,
        e.taskId,
        count,
        e.at,
      );
      return count + 1;
    });
  }

  async recordSolutionRevealed(e: RevealEvent): Promise<void> {
    this.#tx(() => {
      this.#touch(e.learnerId, e.at);
      this.#run(
        `INSERT INTO solution_reveals (learner_id, lesson, task_id, revealed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        e.learnerId,
        e.lesson,
        e.taskId,
        e.at,
      );
    });
  }

  async passedInLab(learnerId: string, lesson: string, labId: string): Promise<Map<string, number>> {
    const rows = this.#all(
      `SELECT task_id, passed_at FROM task_completions WHERE learner_id = ? AND lesson = ? AND lab_id = ? AND regressed_at IS NULL`,
      learnerId,
      lesson,
      labId,
    );
    return new Map(rows.map((r) => [String(r.task_id), Number(r.passed_at)]));
  }

  async lessonProgress(learnerId: string, lesson: string): Promise<LessonProgress> {
    return this.#lessons(learnerId, lesson)[0] ?? { lesson, tasks: [], bestPassed: 0 };
  }

  async allLessonProgress(learnerId: string): Promise<LessonProgress[]> {
    return this.#lessons(learnerId);
  }

  async exportLearner(learnerId: string): Promise<LearnerExport | undefined> {
    const learner = this.#all(`SELECT created_at, last_seen_at FROM learners WHERE id = ?`, learnerId)[0];
    if (!learner) return undefined;
    const iso = (v: unknown) => new Date(Number(v)).toISOString();
    const byLesson = new Map<string, LearnerExport['lessons'][number]>();
    const lessonOf = (lesson: string) => {
      let l = byLesson.get(lesson);
      if (!l) byLesson.set(lesson, (l = { lesson, tasks: [], hints: [], solutions: [] }));
      return l;
    };
    for (const r of this.#all(`SELECT * FROM task_completions WHERE learner_id = ? ORDER BY passed_at, task_id`, learnerId))
      lessonOf(String(r.lesson)).tasks.push({
        taskId: String(r.task_id),
        labId: String(r.lab_id),
        passedAt: iso(r.passed_at),
        ...(r.regressed_at !== null ? { regressedAt: iso(r.regressed_at) } : {}),
      });
    for (const r of this.#all(`SELECT * FROM hint_reveals WHERE learner_id = ? ORDER BY revealed_at, task_id, hint_index`, learnerId))
      lessonOf(String(r.lesson)).hints.push({ taskId: String(r.task_id), index: Number(r.hint_index), revealedAt: iso(r.revealed_at) });
    for (const r of this.#all(`SELECT * FROM solution_reveals WHERE learner_id = ? ORDER BY revealed_at, task_id`, learnerId))
      lessonOf(String(r.lesson)).solutions.push({ taskId: String(r.task_id), revealedAt: iso(r.revealed_at) });
    for (const r of this.#all(`SELECT * FROM lesson_completions WHERE learner_id = ?`, learnerId)) lessonOf(String(r.lesson)).completedAt = iso(r.completed_at);
    return {
      format: 'packetwalk-progress/1',
      learnerId,
      createdAt: iso(learner.created_at),
      lastSeenAt: iso(learner.last_seen_at),
      lessons: [...byLesson.values()].sort((a, b) => a.lesson.localeCompare(b.lesson)),
    };
  }

  async setupStarted(r: { labId: string; lesson: string; at: number }): Promise<void> {
    this.#tx(() =>
      this.#run(
        `INSERT INTO challenge_setups (lab_id, lesson, started_at) VALUES (?, ?, ?)
         ON CONFLICT (lab_id) DO UPDATE SET lesson = excluded.lesson, started_at = excluded.started_at, finished_at = NULL, error = NULL`,
        r.labId,
        r.lesson,
        r.at,
      ),
    );
  }

  async setupFinished(r: { labId: string; startedAt: number; at: number; error?: string }): Promise<void> {
    this.#tx(() =>
      this.#run(`UPDATE challenge_setups SET finished_at = ?, error = ? WHERE lab_id = ? AND started_at = ?`, r.at, r.error ?? null, r.labId, r.startedAt),
    );
  }

  async getSetup(labId: string): Promise<SetupRecord | undefined> {
    const r = this.#all(`SELECT * FROM challenge_setups WHERE lab_id = ?`, labId)[0];
    if (!r) return undefined;
    return {
      labId,
      lesson: String(r.lesson),
      startedAt: Number(r.started_at),
      ...(r.finished_at !== null ? { finishedAt: Number(r.finished_at) } : {}),
      ...(r.error !== null ? { error: String(r.error) } : {}),
    };
  }

  async archiveLab(labId: string, at: number): Promise<void> {
    this.#tx(() => {
      this.#run(`DELETE FROM challenge_setups WHERE lab_id = ?`, labId);
      this.#run(`UPDATE task_completions SET lab_id = lab_id || '#reset-' || ? WHERE lab_id = ?`, String(at), labId);
      this.#run(`UPDATE lesson_completions SET lab_id = lab_id || '#reset-' || ? WHERE lab_id = ?`, String(at), labId);
    });
  }

  async close(): Promise<void> {
    // The database belongs to whoever opened it (it is shared with the lab store); nothing of ours to release.
  }

  #lessons(learnerId: string, onlyLesson?: string): LessonProgress[] {
    const filter = onlyLesson === undefined ? '' : ' AND lesson = ?';
    const args = onlyLesson === undefined ? [learnerId] : [learnerId, onlyLesson];
    const lessons = new Map<string, LessonProgress>();
    const lessonOf = (lesson: string) => {
      let l = lessons.get(lesson);
      if (!l) lessons.set(lesson, (l = { lesson, tasks: [], bestPassed: 0 }));
      return l;
    };
    const taskOf = (l: LessonProgress, taskId: string) => {
      let t = l.tasks.find((x) => x.taskId === taskId);
      if (!t) l.tasks.push((t = { taskId, hintsRevealed: 0 }));
      return t;
    };
    for (const r of this.#all(
      `SELECT lesson, task_id, MAX(passed_at) AS passed_at FROM task_completions WHERE learner_id = ?${filter} AND regressed_at IS NULL GROUP BY lesson, task_id`,
      ...args,
    ))
      taskOf(lessonOf(String(r.lesson)), String(r.task_id)).passedAt = Number(r.passed_at);
    for (const r of this.#all(
      `SELECT lesson, MAX(n) AS best FROM (SELECT lesson, lab_id, COUNT(*) AS n FROM task_completions WHERE learner_id = ?${filter} AND regressed_at IS NULL GROUP BY lesson, lab_id) GROUP BY lesson`,
      ...args,
    ))
      lessonOf(String(r.lesson)).bestPassed = Number(r.best);
    for (const r of this.#all(`SELECT lesson, task_id, COUNT(*) AS n FROM hint_reveals WHERE learner_id = ?${filter} GROUP BY lesson, task_id`, ...args))
      taskOf(lessonOf(String(r.lesson)), String(r.task_id)).hintsRevealed = Number(r.n);
    for (const r of this.#all(`SELECT lesson, task_id, revealed_at FROM solution_reveals WHERE learner_id = ?${filter}`, ...args))
      taskOf(lessonOf(String(r.lesson)), String(r.task_id)).solutionRevealedAt = Number(r.revealed_at);
    for (const r of this.#all(`SELECT lesson, completed_at FROM lesson_completions WHERE learner_id = ?${filter}`, ...args))
      lessonOf(String(r.lesson)).completedAt = Number(r.completed_at);
    return [...lessons.values()].sort((a, b) => a.lesson.localeCompare(b.lesson));
  }

  #touch(learnerId: string, at: number): void {
    this.#run(
      `INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_seen_at = MAX(last_seen_at, excluded.last_seen_at)`,
      learnerId,
      at,
      at,
    );
  }

  #hintCount(learnerId: string, lesson: string, taskId: string): number {
    return Number(
      this.#all(`SELECT COUNT(*) AS n FROM hint_reveals WHERE learner_id = ? AND lesson = ? AND task_id = ?`, learnerId, lesson, taskId)[0]?.n ?? 0,
    );
  }

  /** One write transaction, write lock taken up front (see immediateTransaction). */
  #tx<T>(fn: () => T): T {
    return immediateTransaction(this.#db, fn);
  }

  #stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (!s) this.#stmts.set(sql, (s = this.#db.prepare(sql)));
    return s;
  }

  #run(sql: string, ...args: (string | number | null)[]): void {
    this.#stmt(sql).run(...args);
  }

  #all(sql: string, ...args: (string | number | null)[]): Row[] {
    return this.#stmt(sql).all(...args) as Row[];
  }
}
