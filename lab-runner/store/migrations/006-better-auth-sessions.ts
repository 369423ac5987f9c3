// Account sessions, passwords and single sign-on links moved to better-auth (lab-runner/classroom/account-auth.ts),
// whose own migrator creates its auth_* tables at start-up. The hand-written session table and the sign-in columns
// of `users` go; `users` keeps the classroom profile (role, learner id) under better-auth's user id.
import type { Migration } from './migration.ts';

export const betterAuthSessionsMigration: Migration = {
  id: '006-better-auth-sessions',
  sql: `
DROP TABLE user_sessions;
DROP INDEX users_by_oidc;
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users DROP COLUMN oidc_issuer;
ALTER TABLE users DROP COLUMN oidc_subject;
`,
};
