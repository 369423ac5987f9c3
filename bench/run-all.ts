// `npm run bench`: every benchmark in turn. Each script measures, prints a table and updates its section of BENCHMARKS.md.
import { spawnSync } from 'node:child_process';

const benches: [name: string, file: string][] = [
  ['labs', 'labs.ts'],
  ['terminal', 'terminal.ts'],
  ['isolation', 'isolation.ts'],
  ['grader', 'grader.ts'],
  ['lessons', 'lesson-walkthrough.ts'],
  ['kind', 'kind.ts'],
  ['map', 'map.ts'],
  ['map:browser', 'map-browser.ts'],
  ['classroom', 'classroom.ts'],
];
let failed = 0;
for (const [name, file] of benches) {
  process.stdout.write(`\n━━━ bench:${name}\n`);
  const r = spawnSync('node', [`bench/${file}`, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
