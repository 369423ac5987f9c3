// LAB_MAX_PER_CLIENT with accounts (#17): a signed-in learner is one client wherever they connect from, so a class
// behind one NAT address does not share one cap; anonymous learners are still counted by address. Real platform:
// SQLite on disk, real labs (nodes-1), route handlers called with cookies as a browser keeps them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import { createPlatform, type Platform } from '../../../lab-runner/platform.ts';
import * as register from '../../../app/api/auth/register/route.ts';
import * as labsRoute from '../../../app/api/labs/route.ts';
import { CookieBrowser } from '../../fixtures/classroom/cookie-browser.ts';

const ORIGIN = 'http://127.0.0.1:3998';
/** One address for everybody: a classroom behind one NAT. */
const NAT = '198.51.100.7';
let platform: Platform;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-account-cap-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    WARM_POOL: '',
    LOG_LEVEL: 'warn',
    AUTH: 'accounts',
    BUILD_IMAGES_ON_START: 'false',
    LAB_MAX_PER_CLIENT: '1',
    LAB_MAX_PER_LEARNER: '3',
    LAB_RESERVED_SLOTS: '0',
  });
  platform = await createPlatform(config);
  await platform.start();
  setPlatform(platform);
});

afterAll(async () => {
  for (const lab of (await platform?.labs.list()) ?? []) await platform.labs.destroy(lab.id, 'test over');
  await platform?.close();
  setPlatform(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function signUp(b: CookieBrowser, email: string): Promise<void> {
  const res = b.keep(await register.POST(b.request('/api/auth/register', { json: { email, name: email, password: 'correct horse battery' } })));
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Starts a lab and reads the NDJSON answer to its end: the ready lab, or the error (status, message). */
async function startLab(b: CookieBrowser, sandbox: string): Promise<{ status: number; state?: string; message?: string }> {
  const res = b.keep(await labsRoute.POST(b.request('/api/labs', { json: { sandbox } })));
  if (res.status !== 200) return { status: res.status, message: ((await res.json()) as { error: string }).error };
  const lines = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; lab?: { state: string }; status?: number; error?: string });
  const last = lines.at(-1)!;
  return last.type === 'error' ? { status: last.status!, message: last.error! } : { status: 200, state: last.lab!.state };
}

describe('the per-client lab cap with accounts', () => {
  it('counts each signed-in account on its own behind one address, and still caps one account', async () => {
    const ann = new CookieBrowser(ORIGIN, NAT);
    const ben = new CookieBrowser(ORIGIN, NAT);
    await signUp(ann, 'ann@example.test');
    await signUp(ben, 'ben@example.test');
    expect(await startLab(ann, 'nodes-1')).toMatchObject({ status: 200, state: 'ready' });
    // Same address, another account: its own lab (keyed by address, LAB_MAX_PER_CLIENT=1 would refuse it).
    expect(await startLab(ben, 'nodes-1')).toMatchObject({ status: 200, state: 'ready' });
    // One account over the cap is refused, and told it is the account's limit.
    const over = await startLab(ann, 'nodes-2');
    expect(over.status).toBe(429);
    expect(over.message).toMatch(/^Your account already holds 1 running lab/);
    // The store counts them under the accounts, not the address.
    const accounts = platform.classroom.accounts.list();
    const theirs = (await platform.labs.list()).filter((l) => l.state === 'ready' && accounts.some((a) => a.learnerId === l.learnerId));
    const records = await Promise.all(theirs.map((l) => platform.store.get(l.id)));
    expect(records.map((r) => r!.clientKey).sort()).toEqual(accounts.map((a) => `account:${a.id}`).sort());
  }, 180_000);

  it('counts anonymous learners by address, as before', async () => {
    const first = new CookieBrowser(ORIGIN, '198.51.100.8');
    const second = new CookieBrowser(ORIGIN, '198.51.100.8');
    expect(await startLab(first, 'nodes-1')).toMatchObject({ status: 200, state: 'ready' });
    const refused = await startLab(second, 'nodes-1');
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^Your network address already holds 1 running lab/);
  }, 180_000);
});
