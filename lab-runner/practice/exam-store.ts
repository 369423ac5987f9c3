// Exam attempts in SQLite (table exam_attempts, store migration 004-practice). The per-task part is JSON, validated
// with zod on every read (it is written by this file only, but a database outlives code versions).
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';

const verdictSchema = z.object({
  outcome: z.enum(['passed', 'failed', 'timeout', 'error']),
  summary: z.string(),
  failLines: z.array(z.string()),
  structured: z.object({ observed: z.string().optional(), expected: z.string().optional(), hint: z.string().optional() }).optional(),
  truncated: z.boolean(),
  exitCode: z.number().optional(),
  durationMs: z.number(),
});

export const attemptTaskSchema = z.object({
  lesson: z.string(),
  task: z.string(),
  pool: z.number().int(),
  seed: z.string(),
  /** The pseudo-learner that owns the task's lab (one lab per task: the learner's own cap does not apply). */
  labLearner: z.string(),
  labId: z.string(),
  flagged: z.boolean(),
  grade: z.object({ passed: z.boolean(), verdict: verdictSchema.optional(), brokenInvariant: z.string().optional() }).optional(),
});
export type AttemptTask = z.output<typeof attemptTaskSchema>;

export interface ExamAttempt {
  id: string;
  learnerId: string;
  exam: string;
  seed: string;
  state: 'running' | 'graded';
  startedAt: number;
  endsAt: number;
  gradedAt?: number;
  endedBy?: 'submitted' | 'timeout';
  score?: number;
  total: number;
  tasks: AttemptTask[];
}

interface Row {
  id: string;
  learner_id: string;
  exam: string;
  seed: string;
  state: string;
  started_at: number;
  ends_at: number;
  graded_at: number | null;
  ended_by: string | null;
  score: number | null;
  total: number;
  tasks: string;
}

function fromRow(r: Row): ExamAttempt {
  return {
    id: r.id,
    learnerId: r.learner_id,
    exam: r.exam,
    seed: r.seed,
    state: r.state === 'graded' ? 'graded' : 'running',
    startedAt: r.started_at,
    endsAt: r.ends_at,
    ...(r.graded_at !== null ? { gradedAt: r.graded_at } : {}),
    ...(r.ended_by === 'submitted' || r.ended_by === 'timeout' ? { endedBy: r.ended_by } : {}),
    ...(r.score !== null ? { score: r.score } : {}),
    total: r.total,
    tasks: z.array(attemptTaskSchema).parse(JSON.parse(r.tasks)),
  };
}

export class ExamStore {
  readonly #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  insert(a: ExamAttempt): void {
    this.#db
      .prepare('INSERT INTO exam_attempts (id, learner_id, exam, seed, state, started_at, ends_at, total, tasks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.learnerId, a.exam, a.seed, a.state, a.startedAt, a.endsAt, a.total, JSON.stringify(a.tasks));
  }

  get(id: string): ExamAttempt | undefined {
    const r = this.#db.prepare('SELECT * FROM exam_attempts WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  listByLearner(learnerId: string): ExamAttempt[] {
    return (this.#db.prepare('SELECT * FROM exam_attempts WHERE learner_id = ? ORDER BY started_at DESC').all(learnerId) as unknown as Row[]).map(fromRow);
  }

  listRunning(): ExamAttempt[] {
    return (this.#db.prepare(`SELECT * FROM exam_attempts WHERE state = 'running'`).all() as unknown as Row[]).map(fromRow);
  }

  setTasks(id: string, tasks: AttemptTask[]): void {
    this.#db.prepare(`UPDATE exam_attempts SET tasks = ? WHERE id = ? AND state = 'running'`).run(JSON.stringify(tasks), id);
  }

  /** running -> graded, once: false when another call graded it first. */
  markGraded(id: string, v: { gradedAt: number; endedBy: 'submitted' | 'timeout'; score: number; tasks: AttemptTask[] }): boolean {
    const r = this.#db
      .prepare(`UPDATE exam_attempts SET state = 'graded', graded_at = ?, ended_by = ?, score = ?, tasks = ? WHERE id = ? AND state = 'running'`)
      .run(v.gradedAt, v.endedBy, v.score, JSON.stringify(v.tasks), id);
    return Number(r.changes) === 1;
  }
}
