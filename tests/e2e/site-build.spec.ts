// A deliberately broken lesson must stop both `npm run content:check` and `next build`, with the same
// message naming the file, line, field and fix. Slow (a real `next build`), so it runs once, here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const fixtures = path.resolve('tests/fixtures/content');
const distDir = '.next-e2e-broken-content';
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CONTENT_DIR: path.join(fixtures, 'broken-unknown-sandbox'),
  SANDBOXES_DIR: path.join(fixtures, 'sandboxes'),
  // Never touch the build the e2e server is running from.
  NEXT_DIST_DIR: distDir,
  NODE_ENV: 'production' as const,
  NEXT_TELEMETRY_DISABLED: '1',
};
const expected =
  'tests/fixtures/content/broken-unknown-sandbox/01-basics/01-first-lesson/index.mdx\n  8:1      frontmatter.sandbox  sandbox "nodes-3" does not exist';

test.afterAll(() => fs.rmSync(distDir, { recursive: true, force: true }));

test('a broken lesson fails content:check and next build with the same located message', () => {
  test.setTimeout(300_000);
  const check = spawnSync(process.execPath, ['course/content/check-cli.ts'], { env, encoding: 'utf8' });
  expect(check.status).toBe(1);
  expect(check.stderr).toContain(expected);
  expect(check.stderr).toContain('valid: one of kind-default, nodes-1, nodes-2');

  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { env, encoding: 'utf8' });
  const output = `${build.stdout}\n${build.stderr}`;
  expect(build.status, output).not.toBe(0);
  expect(output).toContain('content:check failed, so the build stops here');
  expect(output).toContain(expected);
  expect(fs.existsSync(path.join(distDir, 'BUILD_ID'))).toBe(false);
});
