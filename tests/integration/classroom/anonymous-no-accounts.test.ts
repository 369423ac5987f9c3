// AUTH=anonymous (the default) behaves exactly as before accounts existed: no better-auth instance, none of its
// tables, no account resolver, and no cookie beyond the learner's. Real platform on SQLite (Docker is not started).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { getAccountResolver } from '../../../lib/auth/account-handle.ts';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import { createPlatform, type Platform } from '../../../lab-runner/platform.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import * as me from '../../../app/api/auth/me/route.ts';
import * as classes from '../../../app/api/classes/route.ts';
import * as login from '../../../app/api/auth/login/route.ts';
import { CookieBrowser } from '../../fixtures/classroom/cookie-browser.ts';

const ORIGIN = 'http://127.0.0.1:3997';
let platform: Platform;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-anonymous-'));
  platform = await createPlatform(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, WARM_POOL: '', LOG_LEVEL: 'warn', BUILD_IMAGES_ON_START: 'false' }));
  setPlatform(platform);
});

afterAll(async () => {
  await platform?.close();
  setPlatform(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('AUTH=anonymous', () => {
  it('builds no better-auth: no auth tables, no resolver, only the learner cookie', async () => {
    expect(platform.config.AUTH).toBe('anonymous');
    const tables = (
      openDatabase(dataDir).prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'auth_%'").all() as { name: string }[]
    ).map((t) => t.name);
    expect(tables).toEqual([]);
    expect(getAccountResolver()).toBeUndefined();
    const b = new CookieBrowser(ORIGIN);
    const mine = await me.GET(b.request('/api/auth/me'));
    expect(await mine.json()).toEqual({ mode: 'anonymous', sso: false, account: null });
    expect(mine.headers.getSetCookie()).toEqual([]);
    const res = b.keep(await classes.GET(b.request('/api/classes')));
    expect(res.status).toBe(401);
    expect([...b.jar.keys()]).toEqual(['pw_learner']);
    const refused = await login.POST(b.request('/api/auth/login', { json: { email: 'a@example.test', password: 'whatever123' } }));
    expect(refused.status).toBe(404);
    expect(refused.headers.getSetCookie().filter((c) => c.startsWith('pw.'))).toEqual([]);
  });
});
