// Every migration of the shared packetwalk database, in order. Add a file per migration and list it here;
// never edit a migration that has shipped (write a new one).
import { labsMigration } from './001-labs.ts';
import { progressMigration } from './002-progress.ts';
import { labClientMigration } from './003-lab-client.ts';
import { classroomMigration } from './005-classroom.ts';
import { practiceMigration } from './004-practice.ts';
import { betterAuthSessionsMigration } from './006-better-auth-sessions.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

export const migrations: Migration[] = [
  labsMigration,
  progressMigration,
  labClientMigration,
  practiceMigration,
  classroomMigration,
  betterAuthSessionsMigration,
];
