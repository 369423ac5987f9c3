// The classroom profile of an account (node:sqlite, synchronous): its role and the learner id its labs and progress are
// kept under, in `users`, under better-auth's user id. Signing in (passwords, single sign-on) and sessions are
// better-auth's (account-auth.ts); the profile row is written by its hooks when a user appears.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { immediateTransaction } from '../store/database.ts';
import type { Account, Role } from './roles.ts';
import { ClassroomError } from './classroom-error.ts';
import { AUTH_TABLES, PASSWORD_PROVIDER_ID } from './auth-tables.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  learner_id: string;
  has_password: number | null;
}

function toAccount(r: UserRow): Account {
  return { id: r.id, email: r.email, name: r.name, role: r.role, learnerId: r.learner_id, kind: r.has_password === 0 ? 'oidc' : 'password' };
}

// How an account signs in is better-auth's to know: a password is a "credential" row in its account table. Profiles
// made without better-auth (benches, store tests) read as password accounts.
const SELECT_USERS = `SELECT u.*, EXISTS (SELECT 1 FROM ${AUTH_TABLES.account} a WHERE a.userId = u.id AND a.providerId = '${PASSWORD_PROVIDER_ID}') AS has_password FROM users u`;
const SELECT_PROFILES = 'SELECT u.*, NULL AS has_password FROM users u';
const newLearnerId = () => randomBytes(16).toString('base64url');

export interface NewAccount {
  /** better-auth's user id (a fresh UUID for a profile made without it). */
  id?: string;
  email: string;
  name: string;
  role: Role;
  /** An anonymous learner id to adopt (its labs and progress become the account's); a fresh id when absent or taken. */
  adoptLearnerId?: string;
}

export class AccountStore {
  readonly #db: DatabaseSync;
  /** Set once better-auth's tables exist (they appear at start-up, after this store is built). */
  #withAuth = false;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get #select(): string {
    this.#withAuth ||= this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(AUTH_TABLES.account) !== undefined;
    return this.#withAuth ? SELECT_USERS : SELECT_PROFILES;
  }

  create(a: NewAccount, now = Date.now()): Account {
    return immediateTransaction(this.#db, () => {
      if (this.#db.prepare('SELECT 1 FROM users WHERE email = ?').get(a.email))
        throw new ClassroomError('account-conflict', `An account for ${a.email} exists already: sign in instead.`);
      const learnerId = a.adoptLearnerId && !this.ownsLearnerId(a.adoptLearnerId) ? a.adoptLearnerId : newLearnerId();
      const id = a.id ?? randomUUID();
      this.#db
        .prepare('INSERT INTO users (id, email, name, role, learner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, a.email, a.name, a.role, learnerId, now);
      return this.byId(id)!;
    });
  }

  byId(id: string): Account | undefined {
    const r = this.#db.prepare(`${this.#select} WHERE u.id = ?`).get(id) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  byEmail(email: string): Account | undefined {
    const r = this.#db.prepare(`${this.#select} WHERE u.email = ?`).get(email) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  byLearnerId(learnerId: string): Account | undefined {
    const r = this.#db.prepare(`${this.#select} WHERE u.learner_id = ?`).get(learnerId) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  setRole(userId: string, role: Role): Account {
    const res = this.#db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, userId);
    if (res.changes === 0) throw new ClassroomError('class-not-found', 'No such account.');
    return this.byId(userId)!;
  }

  list(): Account[] {
    return (this.#db.prepare(`${this.#select} ORDER BY u.created_at`).all() as unknown as UserRow[]).map(toAccount);
  }

  countAdmins(): number {
    return (this.#db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
  }

  /** An anonymous cookie naming this learner id is refused: the id is an account's now and only its session opens it. */
  ownsLearnerId(learnerId: string): boolean {
    return this.#db.prepare('SELECT 1 FROM users WHERE learner_id = ?').get(learnerId) !== undefined;
  }

  /**
   * A learner who worked anonymously signs in to an account that already has its own learner id: the anonymous
   * learner's progress and labs move to the account (rows the account already has win), so nothing is lost.
   */
  mergeAnonymous(account: Account, anonymousLearnerId: string, now = Date.now()): void {
    if (anonymousLearnerId === account.learnerId || this.ownsLearnerId(anonymousLearnerId)) return;
    const to = account.learnerId;
    const from = anonymousLearnerId;
    immediateTransaction(this.#db, () => {
      this.#db
        .prepare('INSERT INTO learners (id, created_at, last_seen_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at')
        .run(to, now, now);
      for (const table of ['task_completions', 'hint_reveals', 'solution_reveals', 'lesson_completions']) {
        this.#db.prepare(`UPDATE OR IGNORE ${table} SET learner_id = ? WHERE learner_id = ?`).run(to, from);
        this.#db.prepare(`DELETE FROM ${table} WHERE learner_id = ?`).run(from);
      }
      this.#db.prepare('UPDATE OR IGNORE task_activity SET learner_id = ? WHERE learner_id = ?').run(to, from);
      this.#db.prepare('DELETE FROM task_activity WHERE learner_id = ?').run(from);
      // The store record is the truth for who owns a lab (Docker labels are immutable), as for warm-pool claims.
      this.#db.prepare('UPDATE labs SET learner_id = ? WHERE learner_id = ?').run(to, from);
    });
  }
}
