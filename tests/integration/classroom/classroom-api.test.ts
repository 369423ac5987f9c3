// Classrooms with AUTH=accounts on the real platform: SQLite on disk, real labs, the real grader and terminal
// gateway; route handlers called directly with cookies as a browser keeps them. Covers sign-up/in (progress kept),
// forged/expired/revoked sessions, the login rate limit, the admin CLI, classes and enrollment rules, the permission
// matrix (every route x role), the live grid turning green, the read-only terminal view, trainer actions, messages,
// export and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import { createPlatform, type Platform } from '../../../lab-runner/platform.ts';
import { TerminalClient } from '../../../lab-runner/terminal/terminal-client.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { loadChallengeOrThrow } from '../../../course/challenge/challenge-loader.ts';
import * as register from '../../../app/api/auth/register/route.ts';
import * as login from '../../../app/api/auth/login/route.ts';
import * as logout from '../../../app/api/auth/logout/route.ts';
import * as me from '../../../app/api/auth/me/route.ts';
import * as classes from '../../../app/api/classes/route.ts';
import * as join from '../../../app/api/classes/join/route.ts';
import * as klass from '../../../app/api/classes/[classId]/route.ts';
import * as dashboard from '../../../app/api/classes/[classId]/dashboard/route.ts';
import * as messages from '../../../app/api/classes/[classId]/messages/route.ts';
import * as help from '../../../app/api/classes/[classId]/help/route.ts';
import * as exportRoute from '../../../app/api/classes/[classId]/export/route.ts';
import * as prewarm from '../../../app/api/classes/[classId]/prewarm/route.ts';
import * as learnerAction from '../../../app/api/classes/[classId]/learners/[userId]/route.ts';
import * as watchRoute from '../../../app/api/classes/[classId]/learners/[userId]/terminal/route.ts';
import * as learnerStream from '../../../app/api/classroom/stream/route.ts';
import * as roles from '../../../app/api/admin/roles/route.ts';
import * as audit from '../../../app/api/admin/audit/route.ts';
import * as labsRoute from '../../../app/api/labs/route.ts';
import * as ticketRoute from '../../../app/api/labs/[labId]/ticket/route.ts';
import * as checkRoute from '../../../app/api/challenge/check/route.ts';
import { CookieBrowser } from '../../fixtures/classroom/cookie-browser.ts';
import { SseReader } from '../../fixtures/classroom/sse-reader.ts';

const LESSON = 'pods/pods-and-network-namespaces';
const CHALLENGE_FILE = 'content/01-pods/01-pods-and-network-namespaces/challenge.yaml';
const PASSWORD = 'correct horse battery';
/** better-auth's session cookie (cookiePrefix "pw"). */
const SESSION = 'pw.session_token';

let platform: Platform;
let dataDir: string;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-classroom-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    WARM_POOL: '',
    LOG_LEVEL: 'warn',
    AUTH: 'accounts',
    LOGIN_ATTEMPTS_PER_MINUTE: '8',
    BUILD_IMAGES_ON_START: 'false',
  });
  platform = await createPlatform(config);
  await platform.start();
  setPlatform(platform);
  server = http.createServer((_q, r) => r.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!platform.terminals.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const lab of (await platform?.labs.list()) ?? []) await platform.labs.destroy(lab.id, 'test over');
  await platform?.close();
  setPlatform(undefined);
  await new Promise<void>((r) => server?.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** A second connection to the platform's database, for what a test must reach behind the API (a session's expiry). */
let authConnection: ReturnType<typeof openDatabase> | undefined;
const authDb = () => (authConnection ??= openDatabase(dataDir));

const cp = (classId: string) => ({ params: Promise.resolve({ classId }) });
const lp = (classId: string, userId: string) => ({ params: Promise.resolve({ classId, userId }) });

async function signUp(b: CookieBrowser, email: string, name: string): Promise<string> {
  const res = b.keep(await register.POST(b.request('/api/auth/register', { json: { email, name, password: PASSWORD } })));
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { account: { id: string } }).account.id;
}

async function signIn(b: CookieBrowser, email: string, password = PASSWORD): Promise<void> {
  const res = b.keep(await login.POST(b.request('/api/auth/login', { json: { email, password } })));
  expect(res.status, await res.clone().text()).toBe(200);
}

function runAdminCli(args: string[], input?: string) {
  return spawnSync(process.execPath, ['lab-runner/cli/admin.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, AUTH: 'accounts', LOG_LEVEL: 'warn' },
  });
}

describe('classrooms with AUTH=accounts', () => {
  const admin = () => new CookieBrowser(origin);
  let adminB: CookieBrowser;
  let trainerB: CookieBrowser;
  let otherTrainerB: CookieBrowser;
  let aliceB: CookieBrowser;
  let bobB: CookieBrowser;
  let outsiderB: CookieBrowser;
  const ids: Record<string, string> = {};
  let classId: string;
  let enrollToken: string;
  let shortCode: string;

  it('an anonymous learner who signs up keeps their learner id, labs and progress', async () => {
    aliceB = new CookieBrowser(origin);
    const first = aliceB.keep(await classes.GET(aliceB.request('/api/classes')));
    expect(first.status).toBe(401);
    const mine = await me.GET(aliceB.request('/api/auth/me'));
    expect(await mine.json()).toMatchObject({ mode: 'accounts', account: null });
    const anonymousId = decodeURIComponent(aliceB.jar.get('pw_learner')!).split('.')[0]!;
    await new SqliteProgressStore(openDatabase(dataDir)).recordTaskPassed({
      learnerId: anonymousId,
      lesson: LESSON,
      labId: 'old-lab',
      taskId: 'pod-a-veth',
      at: Date.now(),
    });
    ids.alice = await signUp(aliceB, 'alice@example.test', 'Alice');
    const account = platform.classroom.accounts.byId(ids.alice!)!;
    expect(account.learnerId).toBe(anonymousId);
    expect((await platform.grader.catalog(account.learnerId)).find((l) => l.lesson === LESSON)!.passed).toBeGreaterThan(0);
    // The anonymous cookie alone no longer opens that learner: it is the account's now.
    const stale = new CookieBrowser(origin);
    stale.jar.set('pw_learner', aliceB.jar.get('pw_learner')!);
    expect((await (await me.GET(stale.request('/api/auth/me'))).json()).account).toBeNull();
    stale.keep(await classes.GET(stale.request('/api/classes')));
    expect(decodeURIComponent(stale.jar.get('pw_learner')!).split('.')[0]).not.toBe(anonymousId);
  });

  it("signing in to an existing account merges the anonymous learner's progress into it", async () => {
    const laptop = new CookieBrowser(origin);
    laptop.keep(await classes.GET(laptop.request('/api/classes')));
    const anonymousId = decodeURIComponent(laptop.jar.get('pw_learner')!).split('.')[0]!;
    await new SqliteProgressStore(openDatabase(dataDir)).recordTaskPassed({
      learnerId: anonymousId,
      lesson: LESSON,
      labId: 'laptop-lab',
      taskId: 'pod-a-default-route',
      at: Date.now(),
    });
    const res = laptop.keep(await login.POST(laptop.request('/api/auth/login', { json: { email: 'ALICE@example.test', password: PASSWORD } })));
    expect(res.status).toBe(200);
    const account = platform.classroom.accounts.byId(ids.alice!)!;
    const progress = await new SqliteProgressStore(openDatabase(dataDir)).lessonProgress(account.learnerId, LESSON);
    expect(
      progress.tasks
        .filter((t) => t.passedAt !== undefined)
        .map((t) => t.taskId)
        .sort(),
    ).toEqual(['pod-a-default-route', 'pod-a-veth']);
  });

  it('refuses forged, expired and revoked sessions, and bad passwords', async () => {
    // A session cookie that better-auth did not sign: an unknown token, and a real token with a forged signature.
    const real = new CookieBrowser(origin);
    const plainLogin = real.keep(await login.POST(real.request('/api/auth/login', { json: { email: 'alice@example.test', password: PASSWORD } })));
    expect(plainLogin.status).toBe(200);
    expect(plainLogin.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`))).not.toMatch(/; Secure/i);
    // The cookie's attributes: httpOnly, SameSite=Lax, and Secure exactly when the browser came over https.
    const httpsLogin = await login.POST(
      new CookieBrowser(origin).request('/api/auth/login', {
        json: { email: 'alice@example.test', password: PASSWORD },
        headers: { 'x-forwarded-proto': 'https' },
      }),
    );
    const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`))!;
    expect(sessionCookie(httpsLogin)).toMatch(/; Secure/i);
    expect(sessionCookie(httpsLogin)).toMatch(/HttpOnly/i);
    expect(sessionCookie(httpsLogin)).toMatch(/SameSite=Lax/i);
    const [token, signature] = decodeURIComponent(real.jar.get(SESSION)!).split('.');
    expect(token && signature).toBeTruthy();
    for (const value of ['A'.repeat(43), `${'A'.repeat(32)}.${signature}`, `${token}.${'A'.repeat(signature!.length)}`, token!]) {
      const forged = new CookieBrowser(origin);
      forged.jar.set(SESSION, encodeURIComponent(value));
      expect((await (await me.GET(forged.request('/api/auth/me'))).json()).account, value).toBeNull();
      expect((await classes.GET(forged.request('/api/classes'))).status, value).toBe(401);
    }
    expect((await classes.GET(real.request('/api/classes'))).status).toBe(200);
    // Expired: the session row's expiry passes (SESSION_TTL); the same cookie stops working.
    authDb()
      .prepare('UPDATE auth_session SET expiresAt = ? WHERE token = ?')
      .run(new Date(Date.now() - 1_000).toISOString(), token!);
    expect((await classes.GET(real.request('/api/classes'))).status).toBe(401);
    expect((await (await me.GET(real.request('/api/auth/me'))).json()).account).toBeNull();
    // Signed out: the copied cookie is dead server-side, not only in the browser that signed out.
    const b = new CookieBrowser(origin);
    expect(b.keep(await login.POST(b.request('/api/auth/login', { json: { email: 'alice@example.test', password: PASSWORD } }))).status).toBe(200);
    const copy = b.jar.get(SESSION)!;
    b.keep(await logout.POST(b.request('/api/auth/logout', { method: 'POST' })));
    expect(b.jar.has(SESSION)).toBe(false);
    const replay = new CookieBrowser(origin);
    replay.jar.set(SESSION, copy);
    expect((await classes.GET(replay.request('/api/classes'))).status).toBe(401);
    const wrong = await login.POST(
      new CookieBrowser(origin).request('/api/auth/login', { json: { email: 'alice@example.test', password: 'not the password' } }),
    );
    expect(wrong.status).toBe(401);
    const unknown = await login.POST(
      new CookieBrowser(origin).request('/api/auth/login', { json: { email: 'nobody@example.test', password: 'not the password' } }),
    );
    expect(unknown.status).toBe(401);
    expect((await register.POST(new CookieBrowser(origin).request('/api/auth/register', { json: { email: 'x', password: 'short' } }))).status).toBe(422);
    expect(
      (await register.POST(new CookieBrowser(origin).request('/api/auth/register', { json: { email: 'alice@example.test', name: 'A', password: PASSWORD } })))
        .status,
    ).toBe(409);
  });

  it('rate-limits sign-in attempts per email', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        (await login.POST(new CookieBrowser(origin).request('/api/auth/login', { json: { email: 'limited@example.test', password: 'wrong password' } })))
          .status,
      );
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });

  it('rate-limits wrong passwords for a real account: once over the limit, even the right password waits', async () => {
    await signUp(new CookieBrowser(origin), 'guessed@example.test', 'Guessed');
    const attempt = async (password: string) =>
      (await login.POST(new CookieBrowser(origin).request('/api/auth/login', { json: { email: 'guessed@example.test', password } }))).status;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push(await attempt(`wrong guess ${i}`)); // sign-up spent 1 of the 8 a minute
    expect(statuses).toEqual(Array(7).fill(401));
    expect(await attempt(PASSWORD)).toBe(429);
  });

  it('creates the first admin from the shell, and admins grant trainer rights', async () => {
    const made = runAdminCli(['create-admin', '--email=root@example.test', '--name=Root'], 'admin password 123\n');
    expect(made.status, made.stderr).toBe(0);
    adminB = admin();
    expect(
      adminB.keep(await login.POST(adminB.request('/api/auth/login', { json: { email: 'root@example.test', password: 'admin password 123' } }))).status,
    ).toBe(200);
    trainerB = new CookieBrowser(origin);
    ids.trainer = await signUp(trainerB, 'trainer@example.test', 'Tess Trainer');
    otherTrainerB = new CookieBrowser(origin);
    ids.otherTrainer = await signUp(otherTrainerB, 'other@example.test', 'Other Trainer');
    bobB = new CookieBrowser(origin);
    ids.bob = await signUp(bobB, 'bob@example.test', 'Bob');
    outsiderB = new CookieBrowser(origin);
    ids.outsider = await signUp(outsiderB, 'outsider@example.test', 'Olive Outsider');
    // A learner cannot grant; an admin can.
    expect((await roles.POST(bobB.request('/api/admin/roles', { json: { email: 'bob@example.test', role: 'trainer' } }))).status).toBe(403);
    for (const email of ['trainer@example.test', 'other@example.test'])
      expect((await roles.POST(adminB.request('/api/admin/roles', { json: { email, role: 'trainer' } }))).status).toBe(200);
    // A role change signs the account out everywhere (better-auth's sessions of that user are deleted): the old cookie
    // is refused, and signing in again gives the new role. Other accounts' sessions are untouched.
    for (const b of [trainerB, otherTrainerB]) {
      expect((await classes.GET(b.request('/api/classes'))).status).toBe(401);
      expect((await (await me.GET(b.request('/api/auth/me'))).json()).account).toBeNull();
    }
    expect((await classes.GET(bobB.request('/api/classes'))).status).toBe(200);
    await signIn(trainerB, 'trainer@example.test');
    await signIn(otherTrainerB, 'other@example.test');
    expect((await (await me.GET(trainerB.request('/api/auth/me'))).json()).account).toMatchObject({ role: 'trainer' });
    expect((await roles.POST(adminB.request('/api/admin/roles', { json: { email: 'bob@example.test', role: 'emperor' } }))).status).toBe(422);
    const cli = runAdminCli(['list']);
    expect(cli.stdout).toMatch(/trainer\ttrainer@example\.test/);
  });

  it('trainers create classes; bad input gets 422 with the field; learners cannot create', async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    expect((await classes.POST(bobB.request('/api/classes', { json: { name: 'x', lessons: [LESSON], startsAt, endsAt, capacity: 2 } }))).status).toBe(403);
    const bad = await classes.POST(trainerB.request('/api/classes', { json: { name: '', lessons: ['Nope'], startsAt: 'soon', endsAt, capacity: 0 } }));
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json()).fields)).toEqual(expect.arrayContaining(['name', 'lessons.0', 'startsAt', 'capacity']));
    expect(
      (await classes.POST(trainerB.request('/api/classes', { json: { name: 'x', lessons: ['pods/no-such-lesson'], startsAt, endsAt, capacity: 2 } }))).status,
    ).toBe(422);
    expect(
      (await classes.POST(trainerB.request('/api/classes', { json: { name: 'x', lessons: [LESSON], startsAt: endsAt, endsAt: startsAt, capacity: 2 } })))
        .status,
    ).toBe(422);
    const res = await classes.POST(trainerB.request('/api/classes', { json: { name: 'Pods, morning', lessons: [LESSON], startsAt, endsAt, capacity: 2 } }));
    expect(res.status).toBe(201);
    const c = (await res.json()).class;
    classId = c.id;
    enrollToken = c.enrollToken;
    shortCode = c.shortCode;
    expect(shortCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
  });

  it("learners join by link or code; a full class and an expired link refuse; nobody can list others' classes", async () => {
    expect((await join.POST(aliceB.request('/api/classes/join', { json: { token: enrollToken } }))).status).toBe(200);
    expect((await join.POST(bobB.request('/api/classes/join', { json: { code: shortCode.toLowerCase() } }))).status).toBe(200);
    expect((await join.POST(bobB.request('/api/classes/join', { json: { code: shortCode } }))).status).toBe(200); // twice is fine
    expect((await join.POST(outsiderB.request('/api/classes/join', { json: { token: enrollToken } }))).status).toBe(409);
    expect((await join.POST(outsiderB.request('/api/classes/join', { json: { token: 'x'.repeat(32) } }))).status).toBe(404);
    expect((await join.POST(outsiderB.request('/api/classes/join', { json: { token: 'short' } }))).status).toBe(422);
    const expired = await platform.classroom.createClass(platform.classroom.accounts.byId(ids.trainer!)!, {
      name: 'Closed',
      lessons: [LESSON],
      startsAt: Date.now() - 7_200_000,
      endsAt: Date.now() + 3_600_000,
      enrollExpiresAt: Date.now() - 1_000,
      capacity: 10,
      prewarm: false,
    });
    expect((await join.POST(outsiderB.request('/api/classes/join', { json: { token: expired.enrollToken } }))).status).toBe(410);
    // Guessing codes is cut off after 20 wrong ones a minute (the outsider spent 1 above).
    const guesses: number[] = [];
    for (let i = 0; i < 20; i++)
      guesses.push((await join.POST(outsiderB.request('/api/classes/join', { json: { code: 'ZZZZZZZ' + 'ABCDEFGHJKMNPQRSTUVWX'[i] } }))).status);
    expect(guesses.slice(0, 19).every((s) => s === 404)).toBe(true);
    expect(guesses[19]).toBe(429);
    const list = await (await classes.GET(outsiderB.request('/api/classes'))).json();
    expect(list).toEqual({ teaching: [], joined: [] });
    const aliceList = await (await classes.GET(aliceB.request('/api/classes'))).json();
    expect(aliceList.teaching).toEqual([]);
    expect(aliceList.joined.map((c: { id: string }) => c.id)).toEqual([classId]);
    expect(JSON.stringify(aliceList)).not.toContain(enrollToken);
  });

  it('permission matrix: every classroom route x role', async () => {
    const none = new CookieBrowser(origin);
    const roles_ = { none, learnerIn: aliceB, learnerOut: outsiderB, trainer: trainerB, otherTrainer: otherTrainerB, admin: adminB } as const;
    type Who = keyof typeof roles_;
    const routes: { name: string; call: (b: CookieBrowser) => Promise<Response>; expect: Record<Who, number> }[] = [
      {
        name: 'GET class',
        call: (b) => klass.GET(b.request(`/api/classes/${classId}`), cp(classId)),
        expect: { none: 401, learnerIn: 200, learnerOut: 404, trainer: 200, otherTrainer: 404, admin: 200 },
      },
      {
        name: 'dashboard',
        call: (b) => dashboard.GET(b.request(`/api/classes/${classId}/dashboard`), cp(classId)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 200, otherTrainer: 404, admin: 200 },
      },
      {
        name: 'class message',
        call: (b) => messages.POST(b.request(`/api/classes/${classId}/messages`, { json: { body: 'matrix' } }), cp(classId)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 201, otherTrainer: 404, admin: 201 },
      },
      {
        name: 'help',
        call: (b) => help.POST(b.request(`/api/classes/${classId}/help`, { json: {} }), cp(classId)),
        expect: { none: 401, learnerIn: 200, learnerOut: 404, trainer: 403, otherTrainer: 404, admin: 403 },
      },
      {
        name: 'export',
        call: (b) => exportRoute.GET(b.request(`/api/classes/${classId}/export?format=json`), cp(classId)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 200, otherTrainer: 404, admin: 200 },
      },
      {
        name: 'prewarm (no lesson lab yet: creates)',
        call: (b) => prewarm.POST(b.request(`/api/classes/${classId}/prewarm`, { method: 'POST' }), cp(classId)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 200, otherTrainer: 404, admin: 200 },
      },
      {
        name: 'message learner',
        call: (b) =>
          learnerAction.POST(b.request(`/api/classes/${classId}/learners/${ids.bob}`, { json: { action: 'message', body: 'hi' } }), lp(classId, ids.bob!)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 200, otherTrainer: 404, admin: 200 },
      },
      {
        name: 'watch terminal',
        call: (b) => watchRoute.GET(b.request(`/api/classes/${classId}/learners/${ids.bob}/terminal?target=node1`), lp(classId, ids.bob!)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 404, otherTrainer: 404, admin: 404 },
      },
      {
        name: 'extend learner lab',
        call: (b) =>
          learnerAction.POST(b.request(`/api/classes/${classId}/learners/${ids.bob}`, { json: { action: 'extend', minutes: 5 } }), lp(classId, ids.bob!)),
        expect: { none: 401, learnerIn: 404, learnerOut: 404, trainer: 200, otherTrainer: 404, admin: 200 },
      },
      {
        name: 'enroll lookup',
        call: (b) => join.GET(b.request(`/api/classes/join?token=${enrollToken}`)),
        expect: { none: 401, learnerIn: 200, learnerOut: 200, trainer: 200, otherTrainer: 200, admin: 200 },
      },
      {
        name: 'learner stream',
        call: (b) => learnerStream.GET(b.request('/api/classroom/stream')),
        expect: { none: 204, learnerIn: 200, learnerOut: 200, trainer: 200, otherTrainer: 200, admin: 200 },
      },
      {
        name: 'roles list',
        call: (b) => roles.GET(b.request('/api/admin/roles')),
        expect: { none: 401, learnerIn: 403, learnerOut: 403, trainer: 403, otherTrainer: 403, admin: 200 },
      },
      {
        name: 'audit',
        call: (b) => audit.GET(b.request('/api/admin/audit')),
        expect: { none: 401, learnerIn: 403, learnerOut: 403, trainer: 403, otherTrainer: 403, admin: 200 },
      },
      {
        name: 'create class',
        call: (b) =>
          classes.POST(
            b.request('/api/classes', {
              json: { name: 'm', lessons: [LESSON], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString(), capacity: 1 },
            }),
          ),
        expect: { none: 401, learnerIn: 403, learnerOut: 403, trainer: 201, otherTrainer: 201, admin: 201 },
      },
    ];
    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const r of routes) {
      got[r.name] = {};
      want[r.name] = r.expect;
      for (const who of Object.keys(roles_) as Who[]) {
        const res = await r.call(roles_[who]);
        got[r.name]![who] = res.status;
        await res.body?.cancel();
      }
    }
    expect(got).toEqual(want);
    // Malformed ids are 422, not a lookup.
    expect((await klass.GET(trainerB.request('/api/classes/not-a-uuid'), cp('not-a-uuid'))).status).toBe(422);
    expect(
      (await learnerAction.POST(trainerB.request(`/api/classes/${classId}/learners/${ids.bob}`, { json: { action: 'explode' } }), lp(classId, ids.bob!)))
        .status,
    ).toBe(422);
    // A trainer cannot act on someone outside their class.
    expect(
      (
        await learnerAction.POST(
          trainerB.request(`/api/classes/${classId}/learners/${ids.outsider}`, { json: { action: 'message', body: 'hi' } }),
          lp(classId, ids.outsider!),
        )
      ).status,
    ).toBe(404);
  }, 300_000);

  it('pre-warms a class that is about to start, once, from the background tick', async () => {
    const trainer = platform.classroom.accounts.byId(ids.trainer!)!;
    const soon = await platform.classroom.createClass(trainer, {
      name: 'Soon',
      lessons: [LESSON],
      startsAt: Date.now() + 5 * 60_000,
      endsAt: Date.now() + 3_600_000,
      capacity: 5,
      prewarm: true,
    });
    const later = await platform.classroom.createClass(trainer, {
      name: 'Later',
      lessons: [LESSON],
      startsAt: Date.now() + 3_600_000,
      endsAt: Date.now() + 7_200_000,
      capacity: 5,
      prewarm: true,
    });
    for (const c of [soon, later]) platform.classroom.join(platform.classroom.accounts.byId(ids.alice!)!, { token: c.enrollToken });
    await platform.classroom.runDueWork();
    await platform.classroom.runDueWork();
    expect(platform.classroom.classes.get(soon.id)!.prewarmedAt).toBeDefined();
    expect(platform.classroom.classes.get(later.id)!.prewarmedAt).toBeUndefined();
    const runs = platform.classroom.audit.recent().filter((e) => e.action === 'class-prewarm' && e.target === soon.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ actorId: 'system', detail: { lesson: LESSON, failed: 0 } });
    const aliceLabs = (await platform.labs.list({ learnerId: platform.classroom.accounts.byId(ids.alice!)!.learnerId })).filter((l) => l.state === 'ready');
    expect(aliceLabs.map((l) => l.template)).toContain('nodes-2');
  }, 120_000);

  it("live: a task passing turns the trainer's grid green within a second; the trainer watches a terminal read-only, resets the lab, messages the class", async () => {
    const challenge = await loadChallengeOrThrow(CHALLENGE_FILE);
    const task1 = challenge.tasks[0]!;
    // Prewarm made Bob's and Alice's labs for the lesson; Bob's is his active lab.
    const labsRes = await labsRoute.GET(bobB.request(`/api/labs?sandbox=nodes-2&lesson=${LESSON}`));
    const lab = (await labsRes.json()).lab;
    expect(lab?.state).toBe('ready');

    const grid = new SseReader(await dashboard.GET(trainerB.request(`/api/classes/${classId}/dashboard`), cp(classId)));
    const first = await grid.waitFor((e) => e.event === 'grid', 10_000, 'grid');
    const g = (first.data as { grid: { learners: { userId: string; lab?: { id: string } }[]; cells: { userId: string; taskId: string; state: string }[] } })
      .grid;
    expect(g.learners.map((l) => l.userId).sort()).toEqual([ids.alice, ids.bob].sort());
    expect(g.learners.find((l) => l.userId === ids.bob)!.lab?.id).toBe(lab.id);
    expect(g.cells.find((c) => c.userId === ids.bob && c.taskId === task1.id)!.state).not.toBe('passed');

    const bobStream = new SseReader(await learnerStream.GET(bobB.request('/api/classroom/stream')));
    await bobStream.waitFor((e) => e.event === 'hello');

    // Bob solves task 1 and presses Check; the grid cell goes green.
    await platform.labs.exec(lab.id, task1.solution.target ?? task1.target, { cmd: ['bash', '-c', task1.solution.script], timeoutMs: 30_000 });
    const checked = await checkRoute.POST(bobB.request('/api/challenge/check', { json: { labId: lab.id, lesson: LESSON } }));
    const answeredAt = performance.now();
    expect((await checked.json()).tasks[0].status).toBe('passed');
    const green = await grid.waitFor(
      (e) =>
        e.event === 'cell' &&
        (e.data as { cell: { userId: string; taskId: string; state: string } }).cell.userId === ids.bob &&
        (e.data as { cell: { taskId: string } }).cell.taskId === task1.id &&
        (e.data as { cell: { state: string } }).cell.state === 'passed',
      5_000,
      'green cell',
    );
    expect(green.at - answeredAt).toBeLessThan(1_000);

    // Bob opens his terminal; the trainer watches it read-only and sees what Bob types.
    const { path: wsPath } = await (
      await ticketRoute.POST(bobB.request(`/api/labs/${lab.id}/ticket`, { json: { target: 'node1' } }), { params: Promise.resolve({ labId: lab.id }) })
    ).json();
    const term = await TerminalClient.connect({ url: `${origin.replace('http', 'ws')}${wsPath}`, origin });
    await term.waitForMessage('ready');
    const watch = new SseReader(
      await watchRoute.GET(trainerB.request(`/api/classes/${classId}/learners/${ids.bob}/terminal?target=node1`), lp(classId, ids.bob!)),
    );
    await watch.waitFor((e) => e.event === 'screen');
    await bobStream.waitFor((e) => e.event === 'watching' && (e.data as { watching: boolean }).watching === true, 5_000, 'watching indicator');
    term.type('echo watched-$((6*7))\r');
    await watch.waitFor(
      (e) =>
        e.event === 'output' &&
        Buffer.from((e.data as { data: string }).data, 'base64')
          .toString()
          .includes('watched-42'),
      10_000,
      'mirrored output',
    );
    // Alice (a learner) cannot watch Bob.
    expect((await watchRoute.GET(aliceB.request(`/api/classes/${classId}/learners/${ids.bob}/terminal?target=node1`), lp(classId, ids.bob!))).status).toBe(404);

    // Extend, then reset: Bob's terminal closes, he is told, the watch ends.
    const extended = await learnerAction.POST(
      trainerB.request(`/api/classes/${classId}/learners/${ids.bob}`, { json: { action: 'extend', minutes: 30 } }),
      lp(classId, ids.bob!),
    );
    expect(extended.status).toBe(200);
    const { expiresAt } = await extended.json();
    expect((await platform.labs.get(lab.id))!.expiresAt.getTime()).toBe(expiresAt);
    await grid.waitFor(
      (e) => e.event === 'learner' && (e.data as { learner: { lab?: { expiresAt: number } } }).learner.lab?.expiresAt === expiresAt,
      5_000,
      'row with the extended lab',
    );
    const reset = await learnerAction.POST(
      trainerB.request(`/api/classes/${classId}/learners/${ids.bob}`, { json: { action: 'reset' } }),
      lp(classId, ids.bob!),
    );
    expect(reset.status, await reset.clone().text()).toBe(200);
    await bobStream.waitFor((e) => e.event === 'lab' && (e.data as { action: string }).action === 'reset', 5_000, 'reset notice');
    await watch.waitFor((e) => e.event === 'ended', 10_000, 'watch ended');
    await bobStream.waitFor((e) => e.event === 'watching' && (e.data as { watching: boolean }).watching === false, 5_000, 'watching off');
    term.close();

    // A class message reaches every learner's stream.
    const aliceStream = new SseReader(await learnerStream.GET(aliceB.request('/api/classroom/stream')));
    await aliceStream.waitFor((e) => e.event === 'hello');
    expect((await messages.POST(trainerB.request(`/api/classes/${classId}/messages`, { json: { body: 'Break until 11:00' } }), cp(classId))).status).toBe(201);
    for (const s of [aliceStream, bobStream])
      await s.waitFor(
        (e) => e.event === 'message' && (e.data as { message: { body: string; scope: string } }).message.body === 'Break until 11:00',
        5_000,
        'banner',
      );

    // Export: Bob's task 1 passed, with attempts and time on task.
    const csv = await (await exportRoute.GET(trainerB.request(`/api/classes/${classId}/export?format=csv`), cp(classId))).text();
    expect(csv.split('\r\n')[0]).toBe('class,learner,email,lesson,task,state,passedAt,attempts,hintsUsed,solutionRevealed,timeOnTaskSeconds');
    expect(csv).toMatch(new RegExp(`Bob,bob@example\\.test,${LESSON},${task1.id},passed,\\d{4}-`));
    const cliCsv = spawnSync(process.execPath, ['lab-runner/cli/progress-export.ts', `--class=${classId}`], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    expect(cliCsv.status, cliCsv.stderr).toBe(0);
    expect(cliCsv.stdout).toContain(`bob@example.test,${LESSON},${task1.id},passed`);

    // The audit log names who did what.
    const entries = (await (await audit.GET(adminB.request('/api/admin/audit'))).json()).entries as { actorId: string; action: string; target: string }[];
    for (const action of ['role-change', 'class-create', 'terminal-watch', 'lab-extend', 'lab-reset', 'message-class', 'message-learner', 'class-export'])
      expect(entries.map((e) => e.action)).toContain(action);
    expect(entries.find((e) => e.action === 'lab-reset')).toMatchObject({ actorId: ids.trainer, target: ids.bob });
    for (const s of [grid, watch, bobStream, aliceStream]) await s.close();
  }, 300_000);
});
