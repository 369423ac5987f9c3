// The launcher (tools/packetwalk.mjs) runs next build, the server and next dev with Next's telemetry off (the product
// is for offline classrooms) unless the user set NEXT_TELEMETRY_DISABLED themselves.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../../..');

/** NEXT_TELEMETRY_DISABLED as a child of `packetwalk exec` sees it ("<unset>" when absent). */
function childSees(value: string | undefined): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NEXT_TELEMETRY_DISABLED;
  if (value !== undefined) env.NEXT_TELEMETRY_DISABLED = value;
  const r = spawnSync(
    process.execPath,
    ['tools/packetwalk.mjs', 'exec', '--', '-e', 'process.stdout.write("T=" + (process.env.NEXT_TELEMETRY_DISABLED ?? "<unset>"))'],
    { cwd: REPO, env, encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return /T=(.*)$/.exec(r.stdout)![1]!;
}

describe('Next telemetry', () => {
  it('is off by default in what the launcher starts', () => {
    expect(childSees(undefined)).toBe('1');
  });

  it('is the user’s to decide when they set it (empty lets Next report)', () => {
    expect(childSees('')).toBe('');
    expect(childSees('yes')).toBe('yes');
  });
});
