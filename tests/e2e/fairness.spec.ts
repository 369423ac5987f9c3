// #22 on the real server (server.ts in production mode, real Docker labs): one hostile client can neither take every
// lab nor wear the server down through its terminal. A second server runs on its own port with LAB_MAX_TOTAL=3 and
// TRUSTED_PROXY=127.0.0.1, so the test can speak as clients at different addresses through X-Forwarded-For.
//   - cookie-less POST /api/labs from one address: two labs at most (its share), the last slot goes to a learner
//     elsewhere, and a full server answers 503 with Retry-After
//   - a 60-second resize flood from one terminal, the attacker reconnecting whenever it is cut off: the neighbour's
//     keystroke echo stays p99 < 50 ms, the server's descriptors stay bounded, and SIGTERM ends it within 5 s
//   - a declared 400 MB body is refused with 413 before it is read
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TerminalClient } from '../../lab-runner/terminal/terminal-client.ts';
import { CloseCode } from '../../lab-runner/wire/terminal-protocol.ts';
import { percentile, probeEcho, resizeFlood } from '../integration/terminal/neighbour-probe.ts';

test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

const ATTACKER = '198.51.100.7';
const HONEST = '203.0.113.9';
const LATE = '203.0.113.10';

let server: ChildProcess;
let base = '';
let dataDir = '';
let log = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A client at an address (as the trusted proxy reports it), keeping the learner cookie it is given unless told not to. */
class Client {
  cookie = '';
  readonly address: string;
  readonly keepCookie: boolean;
  constructor(address: string, keepCookie = true) {
    this.address = address;
    this.keepCookie = keepCookie;
  }
  async fetch(p: string, init: RequestInit = {}): Promise<Response> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...(init.body ? { 'content-type': 'application/json' } : {}) };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(base + p, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
    const set = res.headers.get('set-cookie');
    if (set && this.keepCookie) this.cookie = set.split(';')[0]!;
    return res;
  }
  /** POST /api/labs to the end of its NDJSON: the ready lab, or the refusal. */
  async startLab(): Promise<{ status: number; lab?: { id: string }; error?: string; code?: string; retryAfter?: string | null; cookie: string }> {
    const res = await this.fetch('/api/labs', { method: 'POST', body: JSON.stringify({ sandbox: 'nodes-1' }) });
    const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? this.cookie;
    if (res.status !== 200) {
      const body = (await res.json()) as { error: string; code: string };
      return { status: res.status, error: body.error, code: body.code, retryAfter: res.headers.get('retry-after'), cookie };
    }
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; lab?: { id: string; state: string }; error?: string; status?: number });
    const last = lines.at(-1)!;
    if (last.type === 'error') return { status: last.status ?? 500, error: last.error, cookie };
    return { status: 200, lab: last.lab, cookie };
  }
  async terminal(labId: string): Promise<TerminalClient> {
    const res = await this.fetch(`/api/labs/${labId}/ticket`, { method: 'POST', body: JSON.stringify({ target: 'node1' }) });
    if (!res.ok) throw new Error(`ticket: ${res.status} ${await res.text()}`);
    const { path: wsPath } = (await res.json()) as { path: string };
    return TerminalClient.connect({ url: base.replace('http', 'ws') + wsPath, origin: base, cols: 100, rows: 30, keepOutput: true });
  }
}

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

test.beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-fairness-'));
  server = spawn(process.execPath, ['server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LAB_MAX_TOTAL: '3',
      // An empty WARM_POOL counts as unset (the default pool); say "none" explicitly so no pool lab holds a slot.
      WARM_POOL: 'nodes-2=0',
      TRUSTED_PROXY: '127.0.0.1',
      BUILD_IMAGES_ON_START: 'false',
      LAB_HARD_EXPIRY: '30m',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  // Ready once the platform answers: a GET of the labs API stops saying "unavailable".
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/api/labs`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 240 || server.exitCode !== null) throw new Error(`the server did not come up:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
  }
  // Labs of this store outlive a killed server: remove them by their store id, as every test does.
  const { DockerRuntime } = await import('../../lab-runner/docker/docker-runtime.ts');
  const { SqliteLabStore } = await import('../../lab-runner/store/sqlite-lab-store.ts');
  const { teardownByLabel } = await import('../../lab-runner/lab/teardown-by-label.ts');
  const store = new SqliteLabStore(dataDir);
  const storeId = store.storeId;
  await store.close();
  const { Labels } = await import('../../lab-runner/labels.ts');
  await teardownByLabel(new DockerRuntime(), { [Labels.storeId]: storeId });
  rmSync(dataDir, { recursive: true, force: true });
});

let attackerLab = '';
let attackerCookie = '';
let honestLab = '';
const honest = new Client(HONEST);

test('a cookie-less client takes at most its share; a learner elsewhere still gets a lab; a full server names when to retry', async () => {
  const script = new Client(ATTACKER, false);
  const first = await script.startLab();
  const second = await script.startLab();
  expect(first.status, first.error).toBe(200);
  expect(second.status, second.error).toBe(200);
  const third = await script.startLab();
  expect(third.status).toBe(429);
  expect(third.error).toMatch(/Your network address already holds 2 running labs/);
  // Claiming another address in the header server.ts stamps changes nothing: server.ts overwrites it.
  const spoof = await script.fetch('/api/labs', {
    method: 'POST',
    body: JSON.stringify({ sandbox: 'nodes-1' }),
    headers: { 'x-packetwalk-client-address': LATE },
  });
  expect(spoof.status).toBe(429);
  attackerLab = first.lab!.id;
  attackerCookie = first.cookie;

  await honest.fetch('/api/labs?sandbox=nodes-1'); // the lesson page's first call sets the cookie
  const mine = await honest.startLab();
  expect(mine.status, mine.error).toBe(200);
  honestLab = mine.lab!.id;

  const late = await new Client(LATE).startLab();
  expect(late.status).toBe(503);
  expect(late.retryAfter).toBe('60');
  expect(late.error).toMatch(/All 3 lab slots .* Try again in a minute/);
});

test('a declared 400 MB body is refused with 413 before it is read', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const url = new URL(`${base}/api/labs`);
    const sock = net.connect(Number(url.port), url.hostname, () => {
      sock.write(`POST /api/labs HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${400 * 1024 * 1024}\r\n\r\n{"sandbox":`);
    });
    sock.once('data', (d) => {
      resolve(Number(/^HTTP\/1.1 (\d+)/.exec(d.toString())?.[1]));
      sock.destroy();
    });
    sock.on('error', reject);
  });
  expect(status).toBe(413);
});

test('a 60-second resize flood from one terminal: the neighbour echoes within 50 ms (p99), descriptors stay bounded, SIGTERM exits within 5 s', async () => {
  test.skip(!attackerLab || !honestLab, 'needs the labs of the previous test');
  const attacker = new Client(ATTACKER);
  attacker.cookie = attackerCookie;
  const neighbour = await honest.terminal(honestLab);
  await neighbour.waitFor(/[#$] $/, 30_000);

  const pid = server.pid!;
  const baseline = await probeEcho(neighbour, 15_000);
  const fdsBefore = fdCount(pid);
  let fdsPeak = fdsBefore;
  const sampler = setInterval(() => (fdsPeak = Math.max(fdsPeak, fdCount(pid))), 250);
  let stop = false;
  const flood = resizeFlood(
    () => attacker.terminal(attackerLab),
    1000,
    () => stop,
  );
  const during = await probeEcho(neighbour, 60_000);

  // SIGTERM in the middle of the flood.
  const t0 = performance.now();
  const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
  server.kill('SIGTERM');
  const code = await exited;
  const exitMs = performance.now() - t0;
  stop = true;
  clearInterval(sampler);
  const f = await flood;
  neighbour.dispose();

  const p99 = percentile(during.sorted, 99);
  const baseP99 = percentile(baseline.sorted, 99);
  test.info().annotations.push({
    type: 'figures',
    description: `echo p99 ${p99.toFixed(1)} ms during the flood (p50 ${percentile(during.sorted, 50).toFixed(1)}), baseline p99 ${baseP99.toFixed(1)} ms; fds ${fdsBefore} → peak ${fdsPeak}; flood ${f.messages} resizes over ${f.connections} connections, closes ${JSON.stringify(f.closes)}, ${f.openAtStop} open at stop, ${f.refusals} refused; SIGTERM exit ${exitMs.toFixed(0)} ms (code ${code})`,
  });
  console.log(test.info().annotations.at(-1)!.description);
  // The attacker kept at it for the whole minute, and each of its sockets was cut off by its budget (4429) rather
  // than the server falling over; coming back for more was refused meanwhile. The one exception is the socket the
  // test's own SIGTERM finds mid-budget (CI run 23 here: closes {"1001":1,"4429":3}): the server closes it as going
  // away (1001), as a restart must, or the flood stops before that close arrives.
  expect(f.connections).toBeGreaterThanOrEqual(3);
  const overBudget = f.closes[CloseCode.overBudget] ?? 0;
  const cutByShutdown = (f.closes[CloseCode.goingAway] ?? 0) + f.openAtStop;
  expect(overBudget + cutByShutdown, `closes ${JSON.stringify(f.closes)}, ${f.openAtStop} open at stop`).toBe(f.connections);
  expect(cutByShutdown).toBeLessThanOrEqual(1);
  expect(f.refusals).toBeGreaterThanOrEqual(20);
  expect(during.timeouts).toBe(0);
  expect(fdsPeak).toBeLessThan(fdsBefore + 100);
  expect(exitMs).toBeLessThan(5_000);
  expect(code).toBe(0);
  // The target is p99 < 50 ms. It can only be judged where the machine itself allows it: when the neighbour's echo
  // without any attack already misses it (a machine shared with other heavy work), the flood must at least add
  // nothing beyond that machine's own noise.
  if (baseP99 < 25) expect(p99).toBeLessThan(50);
  else {
    test.info().annotations.push({ type: 'too loaded to judge 50 ms', description: `baseline p99 ${baseP99.toFixed(1)} ms without any attack` });
    expect(p99).toBeLessThan(Math.max(50, 2 * baseP99));
  }
});
