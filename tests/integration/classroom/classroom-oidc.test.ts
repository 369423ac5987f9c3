// Single sign-on (AUTH=oidc) through a real OpenID Connect provider (oidc-provider) on loopback: the authorization
// code flow with PKCE and state (better-auth's genericOAuth), followed through the provider's own sign-in form. The anonymous learner who
// signs in keeps their progress; a callback from another browser, a replayed one and a forged state are refused;
// passwords are not accepted in this mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import { createPlatform, type Platform } from '../../../lab-runner/platform.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import * as start from '../../../app/api/auth/oidc/start/route.ts';
import * as callback from '../../../app/api/auth/callback/[provider]/route.ts';
import * as me from '../../../app/api/auth/me/route.ts';
import * as login from '../../../app/api/auth/login/route.ts';
import * as classes from '../../../app/api/classes/route.ts';
import { CookieBrowser } from '../../fixtures/classroom/cookie-browser.ts';
import { signInThroughProvider, startTestProvider, type TestProvider } from '../../fixtures/classroom/oidc-provider.ts';

const SITE = 'http://127.0.0.1:3999';
/** better-auth's cookies (cookiePrefix "pw"): the session, and the signed state binding a sign-in to its browser. */
const SESSION = 'pw.session_token';
const STATE = 'pw.state';
const LESSON = 'pods/pods-and-network-namespaces';
let provider: TestProvider;
let platform: Platform;
let dataDir: string;

beforeAll(async () => {
  provider = await startTestProvider({ redirectUris: [`${SITE}/api/auth/callback/oidc`] });
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-classroom-oidc-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    WARM_POOL: '',
    LOG_LEVEL: 'warn',
    BUILD_IMAGES_ON_START: 'false',
    AUTH: 'oidc',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    PUBLIC_URL: SITE,
  });
  platform = await createPlatform(config);
  await platform.start();
  setPlatform(platform);
});

afterAll(async () => {
  await platform?.close();
  setPlatform(undefined);
  await provider?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts sign-in in this browser; returns the provider URL (the browser now holds the state cookie). */
async function begin(b: CookieBrowser, returnTo = '/classes'): Promise<string> {
  const res = b.keep(await start.GET(b.request(`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`)));
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function finish(b: CookieBrowser, callbackUrl: string): Promise<Response> {
  return b.keep(await callback.GET(b.request(callbackUrl.replace(SITE, ''))));
}

function learnerIdOf(b: CookieBrowser): string {
  return decodeURIComponent(b.jar.get('pw_learner')!).split('.')[0]!;
}

describe('single sign-on (AUTH=oidc)', () => {
  it("signs in through the provider; the anonymous learner's progress becomes the account's", async () => {
    const b = new CookieBrowser(SITE);
    b.keep(await classes.GET(b.request('/api/classes'))); // first contact: an anonymous learner
    const anonymous = learnerIdOf(b);
    await new SqliteProgressStore(openDatabase(dataDir)).recordTaskPassed({
      learnerId: anonymous,
      lesson: LESSON,
      labId: 'lab-1',
      taskId: 'pod-a-veth',
      at: Date.now(),
    });
    const url = await begin(b, '/join/abc');
    expect(new URL(url).origin).toBe(provider.issuer);
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    const back = await signInThroughProvider(url, 'carol', SITE);
    const res = await finish(b, back);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/join/abc');
    const who = await (await me.GET(b.request('/api/auth/me'))).json();
    expect(who).toMatchObject({ mode: 'oidc', sso: true, account: { email: 'carol@example.test', name: 'SSO carol', role: 'learner' } });
    const account = platform.classroom.accounts.byEmail('carol@example.test')!;
    expect(account.learnerId).toBe(anonymous);
    expect(account.kind).toBe('oidc');
    // Signing in again from another browser: same account, that browser's anonymous progress merged in.
    const other = new CookieBrowser(SITE);
    other.keep(await classes.GET(other.request('/api/classes')));
    await new SqliteProgressStore(openDatabase(dataDir)).recordTaskPassed({
      learnerId: learnerIdOf(other),
      lesson: LESSON,
      labId: 'lab-2',
      taskId: 'pod-a-default-route',
      at: Date.now(),
    });
    expect((await finish(other, await signInThroughProvider(await begin(other), 'carol', SITE))).status).toBe(302);
    expect(platform.classroom.accounts.list().filter((a) => a.email === 'carol@example.test')).toHaveLength(1);
    const progress = await new SqliteProgressStore(openDatabase(dataDir)).lessonProgress(account.learnerId, LESSON);
    expect(
      progress.tasks
        .filter((t) => t.passedAt !== undefined)
        .map((t) => t.taskId)
        .sort(),
    ).toEqual(['pod-a-default-route', 'pod-a-veth']);
  });

  it('refuses a callback in another browser, a replayed callback and a forged state', async () => {
    /** A refused callback: back to the sign-in page with better-auth's error code, and no session. */
    const refused = (res: Response, b: CookieBrowser) => {
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get('location')!, SITE).searchParams.get('error')).toBeTruthy();
      expect(b.jar.has(SESSION)).toBe(false);
    };
    const victim = new CookieBrowser(SITE);
    const back = await signInThroughProvider(await begin(victim), 'dave', SITE);
    const victimState = victim.jar.get(STATE)!;
    expect(victimState).toBeTruthy();
    // An attacker's browser (no state cookie, or its own) cannot finish someone else's sign-in.
    const attacker = new CookieBrowser(SITE);
    await begin(attacker);
    refused(await finish(attacker, back), attacker);
    // The rightful browser can, once; a replay (even with a copy of its state cookie) is refused.
    const ok = await finish(victim, back);
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toMatch(/\/classes$/);
    expect(victim.jar.has(SESSION)).toBe(true);
    const replay = new CookieBrowser(SITE);
    replay.jar.set(STATE, victimState);
    refused(await finish(replay, back), replay);
    const forged = new CookieBrowser(SITE);
    forged.jar.set(STATE, 'forged');
    refused(await finish(forged, `${SITE}/api/auth/callback/oidc?code=abc&state=forged`), forged);
    // A provider error is shown, not followed.
    const denied = new CookieBrowser(SITE);
    refused(await finish(denied, `${SITE}/api/auth/callback/oidc?error=access_denied`), denied);
  });

  it('an admin made from the shell (npm run admin) becomes that SSO account at its first sign-in', async () => {
    const made = spawnSync(process.execPath, ['lab-runner/cli/admin.ts', 'create-admin', '--email=root@example.test', '--name=Root'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        AUTH: 'oidc',
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        PUBLIC_URL: SITE,
        LOG_LEVEL: 'warn',
      },
    });
    expect(made.status, made.stderr).toBe(0);
    const b = new CookieBrowser(SITE);
    expect((await finish(b, await signInThroughProvider(await begin(b), 'root', SITE))).status).toBe(302);
    const who = await (await me.GET(b.request('/api/auth/me'))).json();
    expect(who.account).toMatchObject({ email: 'root@example.test', name: 'Root', role: 'admin' });
    expect(platform.classroom.accounts.list().filter((a) => a.email === 'root@example.test')).toHaveLength(1);
  });

  it('says at start-up when the provider cannot be read, and a sign-in then fails cleanly', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pw-classroom-oidc-down-'));
    const down = await createPlatform(
      loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dir,
        WARM_POOL: '',
        LOG_LEVEL: 'warn',
        AUTH: 'oidc',
        OIDC_ISSUER: 'http://127.0.0.1:1', // nothing listens there
        OIDC_CLIENT_ID: 'x',
        OIDC_CLIENT_SECRET: 'y',
        PUBLIC_URL: SITE,
      }),
    );
    try {
      expect(await down.classroom.identity.checkSso()).toBe(false);
      expect(await platform.classroom.identity.checkSso()).toBe(true);
      const b = new CookieBrowser(SITE);
      await expect(down.classroom.identity.startSso({ returnTo: '/classes', client: 'ip:192.0.2.1', headers: b.request('/').headers })).rejects.toMatchObject({
        code: 'class-invalid',
        message: expect.stringContaining('Single sign-on is not available'),
      });
    } finally {
      await down.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes no passwords and rejects a returnTo that leaves the site', async () => {
    expect(
      (await login.POST(new CookieBrowser(SITE).request('/api/auth/login', { json: { email: 'carol@example.test', password: 'whatever123' } }))).status,
    ).toBe(404);
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await start.GET(new CookieBrowser(SITE).request(`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`));
      expect(res.status, returnTo).toBe(422);
    }
  });
});
