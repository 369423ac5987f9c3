// Accounts and their database sessions (node:sqlite, synchronous: the learner lookup in route handlers is synchronous).
// A session cookie carries a random 32-byte token; the table keeps only its SHA-256, with an expiry and a revocation.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { immediateTransaction } from '../store/database.ts';
import type { Account, Role } from './roles.ts';
import { ClassroomError } from './classroom-error.ts';

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  oidc_subject: string | null;
  role: Role;
  learner_id: string;
}

function toAccount(r: UserRow): Account {
  return { id: r.id, email: r.email, name: r.name, role: r.role, learnerId: r.learner_id, kind: r.oidc_subject ? 'oidc' : 'password' };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const newLearnerId = () => randomBytes(16).toString('base64url');

export interface NewAccount {
  email: string;
  name: string;
  role: Role;
  passwordHash?: string;
  oidc?: { issuer: string; subject: string };
  /** An anonymous learner id to adopt (its labs and progress become the account's); a fresh id when absent or taken. */
  adoptLearnerId?: string;
}

export class AccountStore {
  readonly #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  create(a: NewAccount, now = Date.now()): Account {
    return immediateTransaction(this.#db, () => {
      if (this.#db.prepare('SELECT 1 FROM users WHERE email = ?').get(a.email))
        throw new ClassroomError('account-conflict', `An account for ${a.email} exists already: sign in instead.`);
      const learnerId = a.adoptLearnerId && !this.ownsLearnerId(a.adoptLearnerId) ? a.adoptLearnerId : newLearnerId();
      const id = randomUUID();
      this.#db
        .prepare(
          'INSERT INTO users (id, email, name, password_hash, oidc_issuer, oidc_subject, role, learner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, a.email, a.name, a.passwordHash ?? null, a.oidc?.issuer ?? null, a.oidc?.subject ?? null, a.role, learnerId, now);
      return this.byId(id)!;
    });
  }

  byId(id: string): Account | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  byEmail(email: string): Account | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  byLearnerId(learnerId: string): Account | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE learner_id = ?').get(learnerId) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  byOidc(issuer: string, subject: string): Account | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE oidc_issuer = ? AND oidc_subject = ?').get(issuer, subject) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  passwordHash(email: string): { account: Account; hash: string } | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE email = ? AND password_hash IS NOT NULL').get(email) as UserRow | undefined;
    return r ? { account: toAccount(r), hash: r.password_hash! } : undefined;
  }

  setRole(userId: string, role: Role): Account {
    const res = this.#db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, userId);
    if (res.changes === 0) throw new ClassroomError('class-not-found', 'No such account.');
    return this.byId(userId)!;
  }

  list(): Account[] {
    return (this.#db.prepare('SELECT * FROM users ORDER BY created_at').all() as unknown as UserRow[]).map(toAccount);
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

  // --- sessions -------------------------------------------------------------------------------------------------

  createSession(userId: string, ttlMs: number, now = Date.now()): { token: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + ttlMs;
    this.#db
      .prepare('INSERT INTO user_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, now, expiresAt);
    return { token, expiresAt };
  }

  /** The account behind a session token; undefined when unknown (forged), expired or revoked. */
  resolveSession(token: string, now = Date.now()): Account | undefined {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const r = this.#db
      .prepare('SELECT u.* FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?')
      .get(hashToken(token), now) as UserRow | undefined;
    return r ? toAccount(r) : undefined;
  }

  revokeSession(token: string, now = Date.now()): void {
    this.#db.prepare('UPDATE user_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now, hashToken(token));
  }

  /** Sign-out everywhere (a role change or a password reset): every session of the account stops working. */
  revokeAllSessions(userId: string, now = Date.now()): void {
    this.#db.prepare('UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId);
  }
}
