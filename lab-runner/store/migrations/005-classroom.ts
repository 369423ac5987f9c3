// Classrooms (#17): accounts and their sessions, classes with enrollments, messages, help requests, per-task activity
// (time on task, attempts, stuck) and the audit log of trainer and admin actions. Times are epoch ms.
import type { Migration } from './migration.ts';

export const classroomMigration: Migration = {
  id: '005-classroom',
  sql: `
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name          TEXT NOT NULL,
  password_hash TEXT,                         -- AUTH=accounts only (argon2id, PHC string)
  oidc_issuer   TEXT,                         -- AUTH=oidc: who vouches for the account ...
  oidc_subject  TEXT,                         -- ... and its stable id there
  role          TEXT NOT NULL CHECK (role IN ('learner', 'trainer', 'admin')),
  learner_id    TEXT NOT NULL UNIQUE,         -- the id labs and progress are kept under (an adopted anonymous one)
  created_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_by_oidc ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- Database sessions: the cookie holds a random token, the table only its SHA-256, so a leaked database opens nothing.
CREATE TABLE user_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX user_sessions_by_user ON user_sessions (user_id);

CREATE TABLE classes (
  id                TEXT PRIMARY KEY,
  trainer_id        TEXT NOT NULL REFERENCES users(id),
  name              TEXT NOT NULL,
  lessons           TEXT NOT NULL,            -- JSON array of lesson ids, in teaching order
  starts_at         INTEGER NOT NULL,
  ends_at           INTEGER NOT NULL,
  capacity          INTEGER NOT NULL,
  enroll_token      TEXT NOT NULL UNIQUE,     -- the secret part of the enroll link
  short_code        TEXT NOT NULL UNIQUE,     -- typed by learners in the room
  enroll_expires_at INTEGER NOT NULL,
  prewarm           INTEGER NOT NULL DEFAULT 0,
  prewarmed_at      INTEGER,
  created_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX classes_by_trainer ON classes (trainer_id);

CREATE TABLE enrollments (
  class_id  TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (class_id, user_id)
) STRICT;
CREATE INDEX enrollments_by_user ON enrollments (user_id);

CREATE TABLE class_messages (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  class_id     TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  to_user_id   TEXT REFERENCES users(id),     -- NULL: the whole class (a banner)
  from_user_id TEXT NOT NULL REFERENCES users(id),
  body         TEXT NOT NULL,
  sent_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX class_messages_by_class ON class_messages (class_id, sent_at);

CREATE TABLE help_requests (
  class_id   TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  lesson     TEXT,
  asked_at   INTEGER NOT NULL,
  cleared_at INTEGER,
  PRIMARY KEY (class_id, user_id)
) STRICT;

-- What the grader saw per learner and task: when the learner first met the task, how many distinct failing answers
-- they gave (attempts), and since when the same check fails the same way (stuck).
CREATE TABLE task_activity (
  learner_id      TEXT NOT NULL,
  lesson          TEXT NOT NULL,
  task_id         TEXT NOT NULL,
  first_seen_at   INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  failing_summary TEXT,
  failing_since   INTEGER,
  passed_at       INTEGER,
  PRIMARY KEY (learner_id, lesson, task_id)
) STRICT;

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  at       INTEGER NOT NULL,
  actor_id TEXT NOT NULL,                     -- a user id, or "shell" for npm run admin
  action   TEXT NOT NULL,
  target   TEXT NOT NULL,
  detail   TEXT NOT NULL DEFAULT '{}'         -- JSON
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
`,
};
