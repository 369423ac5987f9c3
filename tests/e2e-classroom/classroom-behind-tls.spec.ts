// Deployment rehearsal for a class (#17 "TLS in front, SSO"): the production server with AUTH=accounts and single
// sign-on, behind nginx loaded from docs/deploy/nginx.conf (tests/e2e/deploy/), PUBLIC_URL=https://localhost:<port>,
// TRUSTED_PROXY=127.0.0.1, and a real OpenID Connect provider on loopback whose client is registered with exactly
// PUBLIC_URL + /api/auth/callback/oidc (the line docs/classroom.md tells operators to register). Everything goes
// through https as a browser's requests would, each actor from its own loopback address (127.0.0.2, …) so the
// server's idea of the client can be told apart from the proxy's (127.0.0.1).
// Runs in the classroom e2e step: that step's web server has just built the site, which the server here reuses.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loadChallengeOrThrow } from '../../course/challenge/challenge-loader.ts';
import { TerminalClient } from '../../lab-runner/terminal/terminal-client.ts';
import { signInThroughProvider, startTestProvider, type TestProvider } from '../fixtures/classroom/oidc-provider.ts';
import { request, stream, type Stream, type Target } from '../e2e/deploy/https-client.ts';
import { findNginx, NginxFront } from '../e2e/deploy/nginx-front.ts';
import { makeSelfSignedCert } from '../e2e/deploy/self-signed-cert.ts';
import { removeStoreLabs, startUpstreamServer, type UpstreamServer } from '../e2e/deploy/upstream-server.ts';
import { retryOnNetworkChange } from '../e2e/retry-on-network-change.ts';

const BASE = Number(process.env.E2E_CLASSROOM_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 50);
// The classroom config's own site and provider take BASE and BASE + 1.
const HTTPS_PORT = BASE + 10;
const UPSTREAM_PORT = BASE + 11;
const HTTP_PORT = BASE + 12;
const PROVIDER_PORT = BASE + 13;
const PUBLIC_URL = `https://localhost:${HTTPS_PORT}`;
const CALLBACK_URL = `${PUBLIC_URL}/api/auth/callback/oidc`;
const LOGIN_ATTEMPTS_PER_MINUTE = 6;
const LESSON = 'pods/pods-and-network-namespaces';
const CHALLENGE_FILE = 'content/01-pods/01-pods-and-network-namespaces/challenge.yaml';
const SANDBOX = 'nodes-2';
const PASSWORD = 'tls rehearsal password 1234';

// One loopback address per actor: the rate limiter and the stores key on the address the proxy saw.
const LEARNER = '127.0.0.2';
const BYSTANDER = '127.0.0.3';
const GUESSER = '127.0.0.4';
const TRAINER = '127.0.0.5';

const nginx = findNginx();
const openssl = spawnSync('openssl', ['version']).status === 0;

test.describe.configure({ mode: 'serial' });
test.skip(!nginx, 'nginx is not installed (apt-get install nginx; .ci/run installs it)');
test.skip(!openssl, 'openssl is not installed: no certificate can be made for the proxy');

let dir = '';
let dataDir = '';
let ca = '';
let provider: TestProvider | undefined;
let server: UpstreamServer | undefined;
let front: NginxFront | undefined;
let learner = { cookie: '', id: '' };

const via = (from: string): Target => ({ scheme: 'https', port: HTTPS_PORT, ca, from });
const direct = (from: string): Target => ({ scheme: 'http', port: UPSTREAM_PORT, from });
const sessionCookieOf = (setCookie: string[] | undefined) => (setCookie ?? []).find((c) => c.startsWith('pw.session_token='));
/** What a browser sends with a change from one of the site's pages (nginx passes Host without the port). */
const fromOurPage = (cookie?: string) => ({
  host: `localhost:${HTTPS_PORT}`,
  origin: PUBLIC_URL,
  'sec-fetch-site': 'same-origin',
  'content-type': 'application/json',
  ...(cookie ? { cookie } : {}),
});

async function post(from: Target, route: string, body: unknown, cookie?: string) {
  return request(from, route, { method: 'POST', headers: fromOurPage(cookie), body: JSON.stringify(body) });
}

async function signIn(from: Target, email: string, password = PASSWORD) {
  return post(from, '/api/auth/login', { email, password });
}

/** The session cookie's name=value from a sign-in answer, after checking its attributes. */
function sessionCookie(answer: { status: number; body: string; headers: { 'set-cookie'?: string[] } }): string {
  expect(answer.status, answer.body).toBe(200);
  const cookie = sessionCookieOf(answer.headers['set-cookie']);
  expect(cookie, 'a session cookie').toBeDefined();
  return cookie!.split(';')[0]!;
}

function admin(args: string[]) {
  const r = spawnSync(process.execPath, ['lab-runner/cli/admin.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: dataDir, AUTH: 'accounts', LOG_LEVEL: 'warn' },
  });
  expect(r.status, r.stderr).toBe(0);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-tls-class-'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-tls-class-data-'));
  const cert = makeSelfSignedCert(dir);
  ca = cert.pem;
  // The provider knows exactly one redirect URI: the callback line of docs/classroom.md, for this PUBLIC_URL.
  provider = await startTestProvider({ port: PROVIDER_PORT, redirectUris: [CALLBACK_URL] });

  server = await startUpstreamServer({
    PORT: String(UPSTREAM_PORT),
    DATA_DIR: dataDir,
    PUBLIC_URL,
    TRUSTED_PROXY: '127.0.0.1',
    AUTH: 'accounts',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    LOGIN_ATTEMPTS_PER_MINUTE: String(LOGIN_ATTEMPTS_PER_MINUTE),
    WARM_POOL: `${SANDBOX}=0`,
    LAB_HARD_EXPIRY: '30m',
    LAB_MAX_LIFETIME: '45m',
    NEXT_TELEMETRY_DISABLED: '1',
  });

  front = await NginxFront.start({ nginx: nginx!, dir, httpsPort: HTTPS_PORT, httpPort: HTTP_PORT, upstream: `127.0.0.1:${UPSTREAM_PORT}`, ...cert });
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  // Each part is stopped even when another one fails to.
  const steps: (() => Promise<unknown>)[] = [
    async () => front?.stop(),
    async () => server?.stop(),
    async () => provider?.close(),
    async () => dataDir && removeStoreLabs(dataDir),
  ];
  const failures: string[] = [];
  for (const step of steps) await step().catch((err: unknown) => failures.push(err instanceof Error ? err.message : String(err)));
  for (const d of [dir, dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  expect(failures).toEqual([]);
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await info.attach('server output', { body: server?.output() ?? '' });
    await info.attach('nginx error log', { body: front?.log() ?? '' });
  }
});

test('single sign-on is ready at start-up, naming the callback URL to register', () => {
  expect(server!.output()).toContain('single sign-on ready');
  expect(server!.output()).toContain(CALLBACK_URL);
  expect(server!.output()).not.toContain('TRUSTED_PROXY is unset');
});

test('sign-up and sign-in over https: the session cookie is Secure, HttpOnly and SameSite=Lax', async () => {
  const registered = await post(via(LEARNER), '/api/auth/register', { email: 'lena@example.test', name: 'Lena Learner', password: PASSWORD });
  for (const answer of [registered, await signIn(via(LEARNER), 'lena@example.test')]) {
    expect(answer.status, answer.body).toBe(200);
    const cookie = sessionCookieOf(answer.headers['set-cookie'])!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  }
  learner = { cookie: sessionCookie(registered), id: (JSON.parse(registered.body) as { account: { id: string } }).account.id };
  const me = await request(via(LEARNER), '/api/auth/me', { headers: { host: `localhost:${HTTPS_PORT}`, cookie: learner.cookie } });
  expect(JSON.parse(me.body)).toMatchObject({ mode: 'accounts', sso: true, account: { email: 'lena@example.test' } });
});

test('straight to the upstream from an address that is not the proxy: no Secure cookie, https cannot be forged', async () => {
  const forged = await request(direct(LEARNER), '/api/auth/login', {
    method: 'POST',
    headers: { ...fromOurPage(), 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.9.9' },
    body: JSON.stringify({ email: 'lena@example.test', password: PASSWORD }),
  });
  expect(forged.status, forged.body).toBe(200);
  const cookie = sessionCookieOf(forged.headers['set-cookie']);
  expect(cookie).toBeDefined();
  expect(cookie).not.toMatch(/;\s*Secure/i);
});

test('the sign-in rate limit counts the real client address, not the proxy’s, whatever X-Forwarded-For a client writes', async () => {
  // Wrong passwords for a different (unknown) email each time: only the per-address limit can stop them.
  const guess = (i: number) =>
    request(via(GUESSER), '/api/auth/login', {
      method: 'POST',
      headers: { ...fromOurPage(), 'x-forwarded-for': `10.0.0.${i}` },
      body: JSON.stringify({ email: `guess-${i}@example.test`, password: 'not the password 000' }),
    });
  for (let i = 1; i <= LOGIN_ATTEMPTS_PER_MINUTE; i++) {
    const wrong = await guess(i);
    expect(wrong.status, wrong.body).toBe(401);
  }
  const limited = await guess(LOGIN_ATTEMPTS_PER_MINUTE + 1);
  expect(limited.status, limited.body).toBe(429);
  // Another client behind the same proxy signs in: had the limiter keyed on nginx's address, it would be refused too.
  sessionCookie(await signIn(via(BYSTANDER), 'lena@example.test'));
});

test('sign-out through the proxy ends the session on the server, and clears the cookie with a Secure one', async () => {
  const from = via('127.0.0.7');
  const session = sessionCookie(await signIn(from, 'lena@example.test'));
  const me = async () =>
    (JSON.parse((await request(from, '/api/auth/me', { headers: { host: `localhost:${HTTPS_PORT}`, cookie: session } })).body) as { account: unknown }).account;
  expect(await me()).toMatchObject({ email: 'lena@example.test' });
  const out = await post(from, '/api/auth/logout', {}, session);
  expect(out.status, out.body).toBe(200);
  const cleared = sessionCookieOf(out.headers['set-cookie']);
  expect(cleared).toMatch(/Max-Age=0/i);
  expect(cleared).toMatch(/;\s*Secure/i);
  // The old cookie, kept by a copy somewhere, no longer signs anyone in.
  expect(await me()).toBeNull();
});

test('single sign-on in Chromium: out through nginx to the provider, back to PUBLIC_URL/api/auth/callback/oidc, signed in', async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    await retryOnNetworkChange(context, async () => {
      for (const p of context.pages()) await p.close();
      const page = await context.newPage();
      // Bounded steps: a page whose scripts a network change cut off never hydrates, and the attempt must end.
      page.setDefaultTimeout(20_000);
      await page.goto(`${PUBLIC_URL}/signin?returnTo=/classes`);
      await page.getByTestId('sso-sign-in').click();
      await expect(page.getByRole('heading', { name: 'Test SSO sign-in' })).toBeVisible();
      const atProvider = new URL(page.url());
      expect(atProvider.origin).toBe(provider!.issuer);

      const callback = page.waitForRequest((r) => r.url().startsWith(`${CALLBACK_URL}?`));
      await page.getByLabel('Login').fill('sam');
      await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
      expect(new URL((await callback).url()).searchParams.get('code')).toBeTruthy();
      await page.waitForURL(`${PUBLIC_URL}/classes`);
      await expect(page.getByTestId('account-name')).toHaveText('SSO sam');
    });

    const cookie = (await context.cookies(PUBLIC_URL)).find((c) => c.name === 'pw.session_token');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    // nginx carried both legs: the start (302 to the provider) and the provider's redirect back.
    const access = fs.readFileSync(path.join(dir, 'access.log'), 'utf8');
    expect(access).toMatch(/"GET \/api\/auth\/oidc\/start\?returnTo=[^ ]* HTTP\/1\.1" 302 /);
    expect(access).toMatch(/"GET \/api\/auth\/callback\/oidc\?[^ ]*code=[^ ]* HTTP\/1\.1" 302 /);
  } finally {
    await context.close();
  }
});

test('a provider answer replayed without the browser’s state cookie lands on PUBLIC_URL/signin with the reason', async () => {
  const from = via('127.0.0.6');
  const begin = await request(from, '/api/auth/oidc/start?returnTo=/classes', { headers: { host: `localhost:${HTTPS_PORT}` } });
  expect(begin.status, begin.body).toBe(302);
  const toProvider = new URL(begin.headers.location!);
  expect(toProvider.origin).toBe(provider!.issuer);
  expect(toProvider.searchParams.get('redirect_uri')).toBe(CALLBACK_URL);
  // The state cookie binds the sign-in to this browser; on https it is Secure like the session's.
  const state = (begin.headers['set-cookie'] ?? []).find((c) => c.startsWith('pw.state='));
  expect(state).toMatch(/;\s*Secure/i);
  expect(state).toMatch(/;\s*HttpOnly/i);

  // The provider's answer (code + state), presented through nginx by someone without that cookie: refused.
  const answer = new URL(await signInThroughProvider(toProvider.href, 'mallory', CALLBACK_URL));
  const replay = await request(from, `${answer.pathname}${answer.search}`, { headers: { host: `localhost:${HTTPS_PORT}` } });
  expect(replay.status, replay.body).toBe(302);
  const landing = new URL(replay.headers.location!, PUBLIC_URL);
  expect(landing.origin).toBe(PUBLIC_URL);
  expect(landing.pathname).toBe('/signin');
  expect(landing.searchParams.get('error')).toBeTruthy();
  expect(sessionCookieOf(replay.headers['set-cookie'])).toBeUndefined();
});

test('a trainer’s dashboard and read-only terminal watch stream through nginx while a learner works over wss', async () => {
  test.setTimeout(240_000);
  expect(learner.cookie, 'the learner from the sign-up test').not.toBe('');
  const task1 = (await loadChallengeOrThrow(CHALLENGE_FILE)).tasks[0]!;

  // The trainer: an account made trainer from the shell (a role change signs it out, so it signs in afterwards).
  expect((await post(via(TRAINER), '/api/auth/register', { email: 'tom@example.test', name: 'Tom Trainer', password: PASSWORD })).status).toBe(200);
  admin(['grant', '--email=tom@example.test', '--role=trainer']);
  const trainer = sessionCookie(await signIn(via(TRAINER), 'tom@example.test'));
  const day = 24 * 3600_000;
  const created = await post(
    via(TRAINER),
    '/api/classes',
    {
      name: 'TLS rehearsal',
      lessons: [LESSON],
      startsAt: new Date(Date.now() - day).toISOString(),
      endsAt: new Date(Date.now() + day).toISOString(),
      capacity: 5,
    },
    trainer,
  );
  expect(created.status, created.body).toBe(201);
  const klass = (JSON.parse(created.body) as { class: { id: string; enrollToken: string } }).class;
  const joined = await post(via(LEARNER), '/api/classes/join', { token: klass.enrollToken }, learner.cookie);
  expect(joined.status, joined.body).toBe(200);

  const streams: Stream[] = [];
  let term: TerminalClient | undefined;
  try {
    const dashboard = await stream(via(TRAINER), `/api/classes/${klass.id}/dashboard`, {
      headers: { host: `localhost:${HTTPS_PORT}`, cookie: trainer, accept: 'text/event-stream' },
    });
    streams.push(dashboard);
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers['content-type']).toContain('text/event-stream');
    expect(await dashboard.waitFor(/event: grid\ndata: .*\n\n/, 30_000)).toContain('lena@example.test');

    // The learner starts the lesson's lab and opens its terminal over wss through nginx.
    const start = await stream(via(LEARNER), '/api/labs', {
      method: 'POST',
      headers: fromOurPage(learner.cookie),
      body: JSON.stringify({ sandbox: SANDBOX, lesson: LESSON }),
    });
    expect(start.status).toBe(200);
    const labId = /"id":"([^"]+)"/.exec(await start.waitFor(/"state":"ready"/, 180_000))![1]!;
    await start.ended;
    const ticket = await post(via(LEARNER), `/api/labs/${labId}/ticket`, { target: 'node1' }, learner.cookie);
    expect(ticket.status, ticket.body).toBe(200);
    term = await TerminalClient.connect({
      url: `wss://127.0.0.1:${HTTPS_PORT}${(JSON.parse(ticket.body) as { path: string }).path}`,
      origin: PUBLIC_URL,
      socket: { ca, servername: 'localhost', localAddress: LEARNER },
    });

    // The trainer watches that terminal (Server-Sent Events through nginx): the screen first, then the learner's typing.
    const watch = await stream(via(TRAINER), `/api/classes/${klass.id}/learners/${learner.id}/terminal?target=node1`, {
      headers: { host: `localhost:${HTTPS_PORT}`, cookie: trainer, accept: 'text/event-stream' },
    });
    streams.push(watch);
    expect(watch.status).toBe(200);
    await watch.waitFor(/event: screen\n/, 30_000);
    term.type('echo "watched through nginx: $((6*7))"\r');
    await term.waitFor('watched through nginx: 42', 20_000);
    await expect
      .poll(
        () =>
          [...watch.chunks.join('').matchAll(/event: output\ndata: (.*)\n\n/g)]
            .map((m) => Buffer.from((JSON.parse(m[1]!) as { data: string }).data, 'base64').toString('utf8'))
            .join(''),
        { timeout: 20_000, message: 'the learner’s output in the trainer’s read-only view' },
      )
      .toContain('watched through nginx: 42');

    // The learner solves task 1 and checks: the trainer's dashboard gets the passed cell as it happens.
    for (const line of task1.solution.script.split('\n').filter((l) => l.trim())) term.type(`${line}\r`);
    term.type('echo "solution typed"\r');
    await term.waitFor('solution typed\r\n', 60_000);
    await expect
      .poll(
        async () => {
          const check = await post(via(LEARNER), '/api/challenge/check', { labId, lesson: LESSON }, learner.cookie);
          return (JSON.parse(check.body) as { tasks?: { id: string; status: string }[] }).tasks?.find((t) => t.id === task1.id)?.status;
        },
        { timeout: 60_000, message: 'task 1 passes for the learner' },
      )
      .toBe('passed');
    const cells = () =>
      [...dashboard.chunks.join('').matchAll(/event: cell\ndata: (.*)\n\n/g)].map((m) => (JSON.parse(m[1]!) as { cell: Record<string, unknown> }).cell);
    await expect
      .poll(cells, { timeout: 10_000, message: 'the passed cell on the trainer’s dashboard' })
      .toContainEqual(expect.objectContaining({ userId: learner.id, lesson: LESSON, taskId: task1.id, state: 'passed' }));
  } finally {
    term?.dispose();
    for (const s of streams) s.close();
  }
});
