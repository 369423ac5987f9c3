// Classes, enrollments, messages and help requests (node:sqlite). Capacity and enroll expiry are enforced inside one
// BEGIN IMMEDIATE transaction, so two learners racing for the last seat cannot both get it.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { immediateTransaction } from '../store/database.ts';
import { ClassroomError } from './classroom-error.ts';

export interface ClassRecord {
  id: string;
  trainerId: string;
  name: string;
  lessons: string[];
  startsAt: number;
  endsAt: number;
  capacity: number;
  enrollToken: string;
  shortCode: string;
  enrollExpiresAt: number;
  prewarm: boolean;
  prewarmedAt?: number;
  createdAt: number;
}

export interface NewClass {
  trainerId: string;
  name: string;
  lessons: string[];
  startsAt: number;
  endsAt: number;
  capacity: number;
  enrollExpiresAt: number;
  prewarm: boolean;
}

export interface ClassMessage {
  id: number;
  classId: string;
  toUserId?: string;
  fromUserId: string;
  body: string;
  sentAt: number;
}

interface ClassRow {
  id: string;
  trainer_id: string;
  name: string;
  lessons: string;
  starts_at: number;
  ends_at: number;
  capacity: number;
  enroll_token: string;
  short_code: string;
  enroll_expires_at: number;
  prewarm: number;
  prewarmed_at: number | null;
  created_at: number;
}

function toClass(r: ClassRow): ClassRecord {
  return {
    id: r.id,
    trainerId: r.trainer_id,
    name: r.name,
    lessons: JSON.parse(r.lessons) as string[],
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    capacity: r.capacity,
    enrollToken: r.enroll_token,
    shortCode: r.short_code,
    enrollExpiresAt: r.enroll_expires_at,
    prewarm: r.prewarm === 1,
    ...(r.prewarmed_at !== null ? { prewarmedAt: r.prewarmed_at } : {}),
    createdAt: r.created_at,
  };
}

import { CODE_ALPHABET } from './enroll-ref.ts';
export { ENROLL_TOKEN, SHORT_CODE } from './enroll-ref.ts';

function shortCode(): string {
  const bytes = randomBytes(8);
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export class ClassStore {
  readonly #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  create(c: NewClass, now = Date.now()): ClassRecord {
    const id = randomUUID();
    // 24 random bytes: the link is the credential; 8 code characters from 31 (~2^40) are rate-limited at join.
    this.#db
      .prepare(
        `INSERT INTO classes (id, trainer_id, name, lessons, starts_at, ends_at, capacity, enroll_token, short_code, enroll_expires_at, prewarm, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        c.trainerId,
        c.name,
        JSON.stringify(c.lessons),
        c.startsAt,
        c.endsAt,
        c.capacity,
        randomBytes(24).toString('base64url'),
        shortCode(),
        c.enrollExpiresAt,
        c.prewarm ? 1 : 0,
        now,
      );
    return this.get(id)!;
  }

  get(id: string): ClassRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM classes WHERE id = ?').get(id) as ClassRow | undefined;
    return r ? toClass(r) : undefined;
  }

  byEnrollToken(token: string): ClassRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM classes WHERE enroll_token = ?').get(token) as ClassRow | undefined;
    return r ? toClass(r) : undefined;
  }

  byShortCode(code: string): ClassRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM classes WHERE short_code = ?').get(code.toUpperCase()) as ClassRow | undefined;
    return r ? toClass(r) : undefined;
  }

  ofTrainer(trainerId: string): ClassRecord[] {
    return (this.#db.prepare('SELECT * FROM classes WHERE trainer_id = ? ORDER BY starts_at DESC').all(trainerId) as unknown as ClassRow[]).map(toClass);
  }

  all(): ClassRecord[] {
    return (this.#db.prepare('SELECT * FROM classes ORDER BY starts_at DESC').all() as unknown as ClassRow[]).map(toClass);
  }

  ofLearner(userId: string): ClassRecord[] {
    return (
      this.#db
        .prepare('SELECT c.* FROM classes c JOIN enrollments e ON e.class_id = c.id WHERE e.user_id = ? ORDER BY c.starts_at DESC')
        .all(userId) as unknown as ClassRow[]
    ).map(toClass);
  }

  /** Joins a learner: refused once the link expired or the class ended, and when the class is full. Joining twice is fine. */
  enroll(classId: string, userId: string, now = Date.now()): void {
    immediateTransaction(this.#db, () => {
      const c = this.get(classId);
      if (!c) throw new ClassroomError('class-not-found', 'No class behind this link or code.');
      if (this.#db.prepare('SELECT 1 FROM enrollments WHERE class_id = ? AND user_id = ?').get(classId, userId)) return;
      if (now >= c.enrollExpiresAt || now >= c.endsAt)
        throw new ClassroomError('enroll-closed', 'This enroll link has expired: ask your trainer for a new one.');
      const { n } = this.#db.prepare('SELECT count(*) AS n FROM enrollments WHERE class_id = ?').get(classId) as { n: number };
      if (n >= c.capacity) throw new ClassroomError('class-full', `This class is full (${c.capacity} learners).`);
      this.#db.prepare('INSERT INTO enrollments (class_id, user_id, joined_at) VALUES (?, ?, ?)').run(classId, userId, now);
    });
  }

  isEnrolled(classId: string, userId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM enrollments WHERE class_id = ? AND user_id = ?').get(classId, userId) !== undefined;
  }

  members(classId: string): { userId: string; joinedAt: number }[] {
    return (
      this.#db.prepare('SELECT user_id, joined_at FROM enrollments WHERE class_id = ? ORDER BY joined_at').all(classId) as {
        user_id: string;
        joined_at: number;
      }[]
    ).map((r) => ({
      userId: r.user_id,
      joinedAt: r.joined_at,
    }));
  }

  markPrewarmed(classId: string, at: number): void {
    this.#db.prepare('UPDATE classes SET prewarmed_at = ? WHERE id = ?').run(at, classId);
  }

  addMessage(m: Omit<ClassMessage, 'id'>): ClassMessage {
    const res = this.#db
      .prepare('INSERT INTO class_messages (class_id, to_user_id, from_user_id, body, sent_at) VALUES (?, ?, ?, ?, ?)')
      .run(m.classId, m.toUserId ?? null, m.fromUserId, m.body, m.sentAt);
    return { ...m, id: Number(res.lastInsertRowid) };
  }

  /** Messages a learner may read in a class: the class-wide ones and their own, newest last. */
  messagesFor(classId: string, userId: string, limit = 20): ClassMessage[] {
    const rows = this.#db
      .prepare('SELECT * FROM class_messages WHERE class_id = ? AND (to_user_id IS NULL OR to_user_id = ?) ORDER BY id DESC LIMIT ?')
      .all(classId, userId, limit) as { id: number; class_id: string; to_user_id: string | null; from_user_id: string; body: string; sent_at: number }[];
    return rows.reverse().map((r) => ({
      id: r.id,
      classId: r.class_id,
      ...(r.to_user_id ? { toUserId: r.to_user_id } : {}),
      fromUserId: r.from_user_id,
      body: r.body,
      sentAt: r.sent_at,
    }));
  }

  askHelp(classId: string, userId: string, lesson: string | undefined, at: number): void {
    this.#db
      .prepare(
        'INSERT INTO help_requests (class_id, user_id, lesson, asked_at) VALUES (?, ?, ?, ?) ON CONFLICT (class_id, user_id) DO UPDATE SET lesson = excluded.lesson, asked_at = excluded.asked_at, cleared_at = NULL',
      )
      .run(classId, userId, lesson ?? null, at);
  }

  clearHelp(classId: string, userId: string, at: number): void {
    this.#db.prepare('UPDATE help_requests SET cleared_at = ? WHERE class_id = ? AND user_id = ?').run(at, classId, userId);
  }

  /** Open help requests of a class by user id. */
  openHelp(classId: string): Map<string, { lesson?: string; askedAt: number }> {
    const rows = this.#db.prepare('SELECT user_id, lesson, asked_at FROM help_requests WHERE class_id = ? AND cleared_at IS NULL').all(classId) as {
      user_id: string;
      lesson: string | null;
      asked_at: number;
    }[];
    return new Map(rows.map((r) => [r.user_id, { ...(r.lesson ? { lesson: r.lesson } : {}), askedAt: r.asked_at }]));
  }
}
