// Deployment rehearsal (#17 "TLS in front"): the production server behind nginx configured exactly as
// docs/deploy/nginx.conf says (only ports, certificate paths and the upstream substituted), with a certificate made
// here, PUBLIC_URL=https://localhost:<port> and TRUSTED_PROXY=127.0.0.1. Everything below goes through https as a
// browser would, from 127.0.0.2 so the client's address differs from the proxy's. Runs in the e2e step because
// it needs the production build that step has just made (server.ts would otherwise build one itself).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import { MAX_FILE_BYTES } from '../../lab-runner/files/index.ts';
import { TerminalClient } from '../../lab-runner/terminal/terminal-client.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../lib/http/bounded-body.ts';
import { request, stream, type Target } from './deploy/https-client.ts';
import { findNginx, NginxFront } from './deploy/nginx-front.ts';
import { makeSelfSignedCert } from './deploy/self-signed-cert.ts';
import { removeStoreLabs, startUpstreamServer, type UpstreamServer } from './deploy/upstream-server.ts';

const BASE = Number(process.env.E2E_PORT ?? 3100);
const HTTPS_PORT = BASE + 20;
const HTTP_PORT = BASE + 22;
const UPSTREAM_PORT = BASE + 21;
const PUBLIC_URL = `https://localhost:${HTTPS_PORT}`;
const CLIENT = '127.0.0.2';
const SANDBOX = 'nodes-1';
const LESSON = 'pods/pod-to-pod-on-one-node';

const nginx = findNginx();
const openssl = spawnSync('openssl', ['version']).status === 0;

test.describe.configure({ mode: 'serial' });
test.skip(!nginx, 'nginx is not installed (apt-get install nginx; .ci/run installs it)');
test.skip(!openssl, 'openssl is not installed: no certificate can be made for the proxy');

let dir = '';
let dataDir = '';
let ca = '';
let server: UpstreamServer | undefined;
let front: NginxFront | undefined;
let viaProxy: Target;
let learnerCookie = '';
let labId = '';

const direct = (from: string): Target => ({ scheme: 'http', port: UPSTREAM_PORT, from });
const cookieOf = (setCookie: string[] | undefined) => (setCookie ?? []).find((c) => c.startsWith('pw_learner='));
/** What a browser sends with a change from one of the site's pages. */
const fromOurPage = (cookie: string) => ({ cookie, origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-tls-front-'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-tls-front-data-'));
  const cert = makeSelfSignedCert(dir);
  ca = cert.pem;
  viaProxy = { scheme: 'https', port: HTTPS_PORT, ca, from: CLIENT };

  server = await startUpstreamServer({
    PORT: String(UPSTREAM_PORT),
    DATA_DIR: dataDir,
    PUBLIC_URL,
    TRUSTED_PROXY: '127.0.0.1',
    // One lab per client address: a second learner at the same address is refused, which shows which address counted.
    LAB_MAX_PER_CLIENT: '1',
    WARM_POOL: `${SANDBOX}=0`,
    LAB_HARD_EXPIRY: '30m',
    LAB_MAX_LIFETIME: '45m',
    NEXT_TELEMETRY_DISABLED: '1',
  });

  front = await NginxFront.start({ nginx: nginx!, dir, httpsPort: HTTPS_PORT, httpPort: HTTP_PORT, upstream: `127.0.0.1:${UPSTREAM_PORT}`, ...cert });
});

test.afterAll(async () => {
  test.setTimeout(180_000);
  await front?.stop();
  await server?.stop();
  if (dataDir) removeStoreLabs(dataDir);
  for (const d of [dir, dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) {
    await info.attach('server output', { body: server?.output() ?? '' });
    await info.attach('nginx error log', { body: front?.log() ?? '' });
  }
});

test('plain http redirects to https, and https answers with HSTS', async () => {
  const plain = await request({ scheme: 'http', port: HTTP_PORT, from: CLIENT }, '/lessons?x=1', { headers: { host: 'localhost' } });
  expect(plain.status).toBe(301);
  expect(plain.headers.location).toBe('https://localhost/lessons?x=1');

  const page = await request(viaProxy, '/', { headers: { host: `localhost:${HTTPS_PORT}` } });
  expect(page.status).toBe(200);
  expect(page.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
});

test('an https PUBLIC_URL without TRUSTED_PROXY is called out at start-up', () => {
  expect(server!.output()).not.toContain('TRUSTED_PROXY is unset');
  // The upstream port is taken (by the server above): this one says its piece, then stops there.
  const forgetful = spawnSync(process.execPath, ['server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(UPSTREAM_PORT), PUBLIC_URL, TRUSTED_PROXY: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(forgetful.status).toBe(1);
  expect(forgetful.stderr).toContain('PUBLIC_URL is https but TRUSTED_PROXY is unset');
  expect(forgetful.stderr).toContain('is already in use');
});

test('the learner cookie is Secure and HttpOnly through the proxy', async () => {
  const answer = await request(viaProxy, `/api/labs?sandbox=${SANDBOX}`, { headers: { host: `localhost:${HTTPS_PORT}` } });
  expect(answer.status, answer.body).toBe(200);
  const cookie = cookieOf(answer.headers['set-cookie']);
  expect(cookie).toBeDefined();
  expect(cookie).toMatch(/;\s*Secure/i);
  expect(cookie).toMatch(/;\s*HttpOnly/i);
  learnerCookie = cookie!.split(';')[0]!;
});

test('forwarding headers from an address that is not the trusted proxy are not believed', async () => {
  // Straight to the upstream from 127.0.0.2, claiming https: plain http it is, so no Secure cookie.
  const forged = await request(direct(CLIENT), `/api/labs?sandbox=${SANDBOX}`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.9.9.9' } });
  expect(forged.status, forged.body).toBe(200);
  const cookie = cookieOf(forged.headers['set-cookie']);
  expect(cookie).toBeDefined();
  expect(cookie).not.toMatch(/;\s*Secure/i);
});

test('a lab starts through the proxy, its progress streamed as it happens, counted under the real client address', async () => {
  test.setTimeout(180_000);
  const start = await stream(viaProxy, '/api/labs', {
    method: 'POST',
    headers: { host: `localhost:${HTTPS_PORT}`, ...fromOurPage(learnerCookie) },
    body: JSON.stringify({ sandbox: SANDBOX, lesson: LESSON }),
  });
  expect(start.status).toBe(200);
  // The first line comes through while the lab is still being made: nginx passes the stream on, not all at the end.
  const first = await start.waitFor(/\n/, 60_000);
  expect(first).toContain('"state":"pending"');
  expect(first).not.toContain('"state":"ready"');
  const all = await start.waitFor(/"state":"ready"/, 150_000);
  expect(start.chunks.length).toBeGreaterThan(1);
  await start.ended;
  labId = /"id":"([^"]+)"/.exec(all)![1]!;

  // The stream itself asks proxies not to buffer it (nginx honours that even without proxy_buffering off, and
  // consumes the header, so it is read straight from the upstream: the learner's lab, answered at once).
  const again = await request(direct('127.0.0.1'), '/api/labs', {
    method: 'POST',
    headers: { cookie: learnerCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ sandbox: SANDBOX }),
  });
  expect(again.status, again.body).toBe(200);
  expect(again.headers['content-type']).toContain('application/x-ndjson');
  expect(again.headers['x-accel-buffering']).toBe('no');

  // The store counts the lab under the address nginx saw (127.0.0.2), not nginx's own (127.0.0.1).
  const db = new DatabaseSync(path.join(dataDir, 'packetwalk.sqlite'), { readOnly: true });
  const row = db.prepare('SELECT client_key FROM labs WHERE id = ?').get(labId) as { client_key: string } | undefined;
  db.close();
  expect(row?.client_key).toBe(`ip:${CLIENT}`);
});

test('the per-client cap applies to the real client, whatever X-Forwarded-For it writes', async () => {
  expect(labId, 'a lab from the test before').not.toBe('');
  const another = (target: Target) =>
    request(target, '/api/labs', {
      method: 'POST',
      headers: { host: `localhost:${HTTPS_PORT}`, 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
      body: JSON.stringify({ sandbox: SANDBOX }),
    });
  // A second learner (no cookie) at the same address, through the proxy: nginx drops the client's X-Forwarded-For.
  const viaFront = await another(viaProxy);
  expect(viaFront.status, viaFront.body).toBe(429);
  expect(viaFront.body).toContain('LAB_MAX_PER_CLIENT');
  // The same, straight to the upstream: 127.0.0.2 is not a trusted proxy, so its X-Forwarded-For counts for nothing.
  const forged = await another(direct(CLIENT));
  expect(forged.status, forged.body).toBe(429);
  expect(forged.body).toContain('LAB_MAX_PER_CLIENT');
});

test('the terminal works over wss:// through the proxy, and a foreign page may not open one', async () => {
  expect(labId, 'a lab from the test before').not.toBe('');
  const ticket = async () => {
    const answer = await request(viaProxy, `/api/labs/${labId}/ticket`, {
      method: 'POST',
      headers: { host: `localhost:${HTTPS_PORT}`, ...fromOurPage(learnerCookie) },
      body: JSON.stringify({ target: 'node1' }),
    });
    expect(answer.status, answer.body).toBe(200);
    return (JSON.parse(answer.body) as { path: string }).path;
  };
  const socket = { ca, servername: 'localhost', localAddress: CLIENT };

  const term = await TerminalClient.connect({ url: `wss://127.0.0.1:${HTTPS_PORT}${await ticket()}`, origin: PUBLIC_URL, socket });
  try {
    term.type('echo "through the proxy: $((6*7))"\r');
    await term.waitFor('through the proxy: 42', 20_000);
  } finally {
    term.dispose();
  }

  const foreign = new TerminalClient({ url: `wss://127.0.0.1:${HTTPS_PORT}${await ticket()}`, origin: 'https://elsewhere.example', socket });
  await expect(foreign.opened).rejects.toMatchObject({ status: 403 });
});

test('Server-Sent Events come through unbuffered: the challenge stream delivers its first event', async () => {
  expect(labId, 'a lab from the test before').not.toBe('');
  const events = await stream(viaProxy, `/api/challenge/stream?labId=${labId}&lesson=${encodeURIComponent(LESSON)}`, {
    headers: { host: `localhost:${HTTPS_PORT}`, cookie: learnerCookie, accept: 'text/event-stream' },
  });
  try {
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toContain('text/event-stream');
    // The stream never ends by itself: with buffering, nothing would arrive until a buffer filled.
    const text = await events.waitFor(/event: state\ndata: \{.*\}\n\n/, 60_000);
    expect(text).toContain('"tasks"');
  } finally {
    events.close();
  }
});

test('a file at the editor’s limit is saved through the proxy; a body over the server’s limit gets a clear 413', async () => {
  expect(labId, 'a lab from the test before').not.toBe('');
  const save = (bytes: number) =>
    request(viaProxy, '/api/files', {
      method: 'PUT',
      headers: { host: `localhost:${HTTPS_PORT}`, ...fromOurPage(learnerCookie) },
      body: JSON.stringify({ lab: labId, target: 'node1', path: '/root/big.txt', content: 'x'.repeat(bytes), expected: 'any' }),
    });
  // 1 MiB of text is a body just over nginx's default limit (1 MiB): the docs' config lets it through, and it is saved.
  const fits = await save(MAX_FILE_BYTES);
  expect(fits.status, fits.body.slice(0, 500)).toBe(200);
  const tooBig = await save(MAX_REQUEST_BODY_BYTES + 1024);
  expect(tooBig.status).toBe(413);
  expect(tooBig.headers['content-type']).toContain('application/json');
  expect(JSON.parse(tooBig.body)).toMatchObject({ code: 'body-too-large' });
});

test('the learner removes the lab through the proxy', async () => {
  expect(labId, 'a lab from the test before').not.toBe('');
  const removed = await request(viaProxy, `/api/labs/${labId}`, {
    method: 'DELETE',
    headers: { host: `localhost:${HTTPS_PORT}`, ...fromOurPage(learnerCookie) },
  });
  expect(removed.status, removed.body).toBeLessThan(300);
});

test('in Chromium over https: the lesson page starts a lab, grading streams in, the cookie is Secure, the terminal answers', async ({ browser }) => {
  test.setTimeout(180_000);
  // The certificate is this test's own: the browser is told to accept it, as it would accept a real one.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(`${PUBLIC_URL}/learn/${LESSON}`);
    await page.getByRole('button', { name: 'Start lab' }).click();
    const term = page.getByTestId('terminal-node1');
    await expect(term).toHaveAttribute('data-status', 'live', { timeout: 90_000 });

    // The challenge panel's grading arrives by EventSource through the proxy: its first event fills in the last check.
    await expect(page.getByTestId('challenge-panel').getByTestId('challenge-last-check')).toHaveText(/checked \d+ s ago/, { timeout: 30_000 });

    const cookie = (await context.cookies(PUBLIC_URL)).find((c) => c.name === 'pw_learner');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true });

    await term.locator('.xterm').click();
    await page.keyboard.type('echo "browser through the proxy: $((6*7))"');
    await page.keyboard.press('Enter');
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const host = document.querySelector('[data-testid="terminal-node1"] [data-terminal-host]') as
              | (HTMLElement & {
                  pwTerminal?: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
                })
              | null;
            const buf = host?.pwTerminal?.buffer.active;
            const lines: string[] = [];
            for (let i = 0; buf && i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
            return lines.join('\n');
          }),
        { timeout: 30_000, message: 'the command’s output on the terminal' },
      )
      .toContain('browser through the proxy: 42');
  } finally {
    await context.close();
  }
});
