// Tables for learner progress (grader). Append-only history where it matters: a regression keeps the pass time.
import type { Migration } from './migration.ts';

export const progressMigration: Migration = {
  id: '002-progress',
  sql: `
CREATE TABLE IF NOT EXISTS learners (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS task_completions (
  learner_id TEXT NOT NULL REFERENCES learners(id),
  lesson TEXT NOT NULL,
  lab_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  passed_at INTEGER NOT NULL,
  regressed_at INTEGER,
  PRIMARY KEY (learner_id, lesson, lab_id, task_id)
) STRICT;

CREATE TABLE IF NOT EXISTS hint_reveals (
  learner_id TEXT NOT NULL REFERENCES learners(id),
  lesson TEXT NOT NULL,
  task_id TEXT NOT NULL,
  hint_index INTEGER NOT NULL,
  revealed_at INTEGER NOT NULL,
  PRIMARY KEY (learner_id, lesson, task_id, hint_index)
) STRICT;

CREATE TABLE IF NOT EXISTS solution_reveals (
  learner_id TEXT NOT NULL REFERENCES learners(id),
  lesson TEXT NOT NULL,
  task_id TEXT NOT NULL,
  revealed_at INTEGER NOT NULL,
  PRIMARY KEY (learner_id, lesson, task_id)
) STRICT;

CREATE TABLE IF NOT EXISTS lesson_completions (
  learner_id TEXT NOT NULL REFERENCES learners(id),
  lesson TEXT NOT NULL,
  lab_id TEXT NOT NULL,
  completed_at INTEGER NOT NULL,
  PRIMARY KEY (learner_id, lesson)
) STRICT;

CREATE TABLE IF NOT EXISTS challenge_setups (
  lab_id TEXT PRIMARY KEY,
  lesson TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT
) STRICT;
`,
};
