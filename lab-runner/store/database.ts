// The shared SQLite database (node:sqlite, built into Node 24: no native addon) under DATA_DIR.
// WAL so readers never block the writer; busy_timeout so two processes (server + CLI) wait instead of failing.
// Other stores (progress, …) open it with openDatabase(dataDir) and add their tables through migrations/index.ts.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createLogger } from '../../lib/log.ts';
import { migrations as defaultMigrations, type Migration } from './migrations/index.ts';

const log = createLogger('store');
export const DATABASE_FILE = 'packetwalk.sqlite';

export function openDatabase(dataDir: string, migrations: Migration[] = defaultMigrations): DatabaseSync {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = new DatabaseSync(file, { timeout: 5_000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  migrate(db, migrations);
  return db;
}

/** Runs fn inside BEGIN IMMEDIATE … COMMIT: the write lock is taken up front, so read-then-write is atomic across processes. */
export function immediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

export function migrate(db: DatabaseSync, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  immediateTransaction(db, () => {
    const applied = new Set((db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id));
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      log.info('applying migration', { id: m.id });
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, Date.now());
    }
  });
}
