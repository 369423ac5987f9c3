// Practice (#19): the seed each lab's challenge setup ran with (rewind replays the same random draw), and exam
// attempts with their draw, labs, flags and score.
import type { Migration } from './migration.ts';

export const practiceMigration: Migration = {
  id: '004-practice',
  sql: `
CREATE TABLE IF NOT EXISTS setup_seeds (
  lab_id TEXT PRIMARY KEY,
  lesson TEXT NOT NULL,
  seed TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS exam_attempts (
  id TEXT PRIMARY KEY,
  learner_id TEXT NOT NULL,
  exam TEXT NOT NULL,
  seed TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('running', 'graded')),
  started_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  graded_at INTEGER,
  -- 'submitted' or 'timeout' once graded
  ended_by TEXT,
  score INTEGER,
  total INTEGER NOT NULL,
  -- the drawn tasks, their labs, flags and (once graded) verdicts: JSON validated by exam-attempt.ts on read
  tasks TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS exam_attempts_by_learner ON exam_attempts (learner_id, started_at);
`,
};
