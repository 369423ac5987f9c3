// Lab records: one row per lab, the source of truth for who owns which containers (Docker labels are immutable).
import type { Migration } from './migration.ts';

export const labsMigration: Migration = {
  id: '001-labs',
  sql: `
    CREATE TABLE store_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    -- Labels every Docker object of this store, so a reaper only reconciles its own store's labs.
    INSERT INTO store_meta (key, value) VALUES ('store_id', lower(hex(randomblob(8))));

    CREATE TABLE labs (
      id             TEXT PRIMARY KEY,
      learner_id     TEXT NOT NULL,           -- 'pool' while an unclaimed warm-pool lab
      template       TEXT NOT NULL,
      runtime        TEXT NOT NULL,
      state          TEXT NOT NULL CHECK (state IN ('pending', 'ready', 'paused', 'failed', 'destroyed')),
      owner          TEXT NOT NULL,           -- host:pid of the process that provisioned it
      created_at     INTEGER NOT NULL,        -- ms since epoch, like every *_at column
      expires_at     INTEGER NOT NULL,
      last_active_at INTEGER NOT NULL,
      ready_at       INTEGER,
      paused_at      INTEGER,
      claimed_at     INTEGER,
      destroyed_at   INTEGER,
      network_id     TEXT,
      targets        TEXT,                    -- JSON LabTarget[]
      progress       TEXT,                    -- JSON ProvisionProgress
      error          TEXT,
      reason         TEXT
    );
    CREATE INDEX labs_by_state ON labs (state, template);
    CREATE INDEX labs_by_learner ON labs (learner_id, state);
  `,
};
