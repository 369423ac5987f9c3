// `npm run bench`: every benchmark in turn. Each script measures, prints a table and updates its section of BENCHMARKS.md.
import { spawnSync } from 'node:child_process';

const benches = ['labs', 'terminal', 'grader', 'kind'];
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n━━━ bench:${name}\n`);
  const r = spawnSync('node', [`bench/${name}.ts`, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
