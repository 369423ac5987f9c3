// Who did what to whom, when: every trainer and admin action (reset, extend, watch, message, role change, class
// created). Append-only; read by admins and by `npm run admin -- audit`.
import type { DatabaseSync } from 'node:sqlite';

export type AuditAction =
  'role-change' | 'class-create' | 'lab-reset' | 'lab-extend' | 'terminal-watch' | 'message-learner' | 'message-class' | 'class-export' | 'class-prewarm';

export interface AuditEntry {
  at: number;
  actorId: string;
  action: AuditAction;
  target: string;
  detail: Record<string, unknown>;
}

export class AuditLog {
  readonly #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  record(e: Omit<AuditEntry, 'at'> & { at?: number }): void {
    this.#db
      .prepare('INSERT INTO audit_log (at, actor_id, action, target, detail) VALUES (?, ?, ?, ?, ?)')
      .run(e.at ?? Date.now(), e.actorId, e.action, e.target, JSON.stringify(e.detail));
  }

  recent(limit = 200): AuditEntry[] {
    const rows = this.#db.prepare('SELECT at, actor_id, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as {
      at: number;
      actor_id: string;
      action: AuditAction;
      target: string;
      detail: string;
    }[];
    return rows.map((r) => ({ at: r.at, actorId: r.actor_id, action: r.action, target: r.target, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
