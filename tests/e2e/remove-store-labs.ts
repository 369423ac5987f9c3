// After the e2e run: remove every lab the e2e server's store labelled, then its throwaway DATA_DIR.
// The server destroys its unclaimed warm-pool labs when it stops, but learners' labs outlive a server by design (a
// restart must not lose them), so the browser tests' learners would otherwise leave their labs running.
// Usage: node tests/e2e/remove-store-labs.ts <DATA_DIR>. Run by `npm test` once Playwright has stopped the server.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';
import { Labels } from '../../lab-runner/labels.ts';
import { teardownByLabel } from '../../lab-runner/lab/teardown-by-label.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: node tests/e2e/remove-store-labs.ts <DATA_DIR>');
  process.exit(2);
}
const dbFile = path.join(dataDir, 'packetwalk.sqlite');
if (!fs.existsSync(dbFile)) {
  console.log(`e2e cleanup: no store in ${dataDir} (the server never started): nothing to remove`);
  process.exit(0);
}
const db = new DatabaseSync(dbFile, { readOnly: true });
const row = db.prepare(`SELECT value FROM store_meta WHERE key = 'store_id'`).get() as { value: string } | undefined;
db.close();
if (!row) {
  console.error(`e2e cleanup: ${dbFile} has no store id`);
  process.exit(1);
}
const removed = await teardownByLabel(new DockerRuntime(), { [Labels.storeId]: row.value });
console.log(`e2e cleanup: store ${row.value}: removed ${removed.containers} container(s) and ${removed.networks} network(s)`);
fs.rmSync(dataDir, { recursive: true, force: true });
