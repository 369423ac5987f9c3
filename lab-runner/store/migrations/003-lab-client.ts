// Which client (an address today, an account once accounts exist) asked for each lab, so caps can be counted per
// client as well as per learner: anonymous learners cost nothing to mint, clients do.
import type { Migration } from './migration.ts';

export const labClientMigration: Migration = {
  id: '003-lab-client',
  sql: `
    ALTER TABLE labs ADD COLUMN client_key TEXT;
    CREATE INDEX labs_by_client ON labs (client_key, state);
  `,
};
