// `npm run bench:map` (its browser phase; alone: `npm run bench:map:browser`): the Capture tab at 10k packets/s in
// a real Chromium, against the real site server (`npm run build && node server.ts`, throwaway DATA_DIR, no warm pool)
// and a real nodes-2 lab started from the lesson page. The generator is bench/map.ts's: python3 in node2 sends 64-byte
// UDP datagrams to node1 (a socat receiver there), paced at each rate of --pps (10000,250); the capture runs on node1's
// eth0, started from the Capture tab's form as a learner does it, a fresh one for each capture phase (before the
// capture was split into dumpcap's ring and a separate list, a capture in a lab node ended by itself after about 7,000
// packets).
// Phases, in one run and one page (probes: bench/map-browser-probes.ts), the capture ones once per rate:
//   quiet, terminal   node1's terminal shown, no capture: --keys keystrokes timed key → echo rendered
//   quiet, list       the Capture tab shown, no capture yet
//   capture, list     the Capture tab shown while the capture lists packets (heap sampled)
//   capture, terminal node1's terminal shown while the capture runs (the list updates hidden): keystrokes again
//   capture, list     again, later: does the page's heap grow with capture time?
//   quiet, terminal   after the last Stop: keystrokes again (drift of the machine between the quiet phases)
// Options: --seconds per list phase (15), --keys per terminal phase (300), --pps, --no-build (use the existing .next).
// Each phase records long tasks, frame gaps (rAF intervals) and slow input events; the page's JS heap comes from CDP
// (Runtime.getHeapUsage, sampled each second; after a forced GC at the phase boundaries). Every figure is printed with
// the 1-minute load average: the machine is shared. Leaves nothing behind: browser closed, server stopped, the store's
// labs removed by its store id, DATA_DIR deleted — on failure too.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { DockerRuntime } from '../lab-runner/docker/docker-runtime.ts';
import { Labels } from '../lab-runner/labels.ts';
import { teardownByLabel } from '../lab-runner/lab/teardown-by-label.ts';
import { chromiumLaunchOptions } from '../tests/e2e/chromium-launch.ts';
import { LessonPage } from './lesson-walk-browser.ts';
import { installEcho, installProbes, resetPhase, takeEchoes, takePhase, waitEchoes, type EchoSample, type PhaseSample } from './map-browser-probes.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    keys: { type: 'string', default: '300' },
    // 10000: the issue's load; the list's tshark decodes a sample of it (its own socket drops the rest), the ring all.
    // 250: a rate tshark keeps up with in a lab node on this shared machine, so the page gets a steady row stream for
    // the whole phase (the server sends at most 500 rows/s whatever the rate).
    pps: { type: 'string', default: '10000,250' },
    'no-build': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const KEYS = Number(values.keys);
const RATES = values.pps.split(',').map(Number);
const LESSON_URL = '/learn/between-nodes/overlays-vxlan';
/** A long task over this is a freeze a learner notices (RAIL: respond to input within 100 ms; 200 ms is "sluggish"). */
const LONG_TASK_BAR_MS = 200;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const load = () => os.loadavg()[0]!.toFixed(2);
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN);
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const say = (line: string) => process.stdout.write(`${line}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-map-browser-'));
const port = process.env.E2E_PORT ? Number(process.env.E2E_PORT) : await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const serverLog = path.join(os.tmpdir(), `pw-bench-map-browser-${port}.log`);
let server: ChildProcess | undefined;
let browser: Browser | undefined;

async function startServer(): Promise<void> {
  const command = values['no-build'] ? 'node server.ts' : 'npm run build && node server.ts';
  say(`server: ${command} on ${baseUrl} (DATA_DIR ${dataDir}, log ${serverLog})`);
  const log = fs.openSync(serverLog, 'w');
  server = spawn('sh', ['-c', command], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      WARM_POOL: '',
      LAB_HARD_EXPIRY: '30m',
      LAB_MAX_LIFETIME: '45m',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see ${serverLog}`);
    try {
      if ((await fetch(`${baseUrl}/`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(1000);
  }
  throw new Error(`the server did not answer within 10 minutes; see ${serverLog}`);
}

async function stopServer(): Promise<void> {
  if (!server?.pid || server.exitCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  process.kill(-server.pid, 'SIGTERM'); // our own process group: sh, node server.ts
  const timer = setTimeout(() => server?.pid && server.exitCode === null && process.kill(-server.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** The store's labs (the learner's lab outlives the server by design) and the DATA_DIR. */
async function removeStoreLabs(): Promise<void> {
  const dbFile = path.join(dataDir, 'packetwalk.sqlite');
  if (fs.existsSync(dbFile)) {
    const db = new DatabaseSync(dbFile, { readOnly: true });
    const row = db.prepare(`SELECT value FROM store_meta WHERE key = 'store_id'`).get() as { value: string } | undefined;
    db.close();
    if (row) {
      const removed = await teardownByLabel(new DockerRuntime(), { [Labels.storeId]: row.value });
      say(`cleanup: removed ${removed.containers} container(s) and ${removed.networks} network(s) of store ${row.value}`);
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// ── figures ──────────────────────────────────────────────────────────────────────────────────────────────────
interface PhaseResult {
  name: string;
  seconds: number;
  load: string;
  sample: PhaseSample;
  echoes?: EchoSample[];
  timeouts?: number;
}

function describe(r: PhaseResult): string {
  const gaps = [...r.sample.frameGaps].sort((a, b) => a - b);
  const lt = r.sample.longTasks;
  const parts = [
    `long tasks ${lt.length} (${f1(lt.reduce((s, x) => s + x, 0))} ms total, max ${f1(Math.max(0, ...lt))} ms)`,
    `frame gaps p50 ${f1(pct(gaps, 50))} / p99 ${f1(pct(gaps, 99))} / max ${f1(gaps.at(-1) ?? Number.NaN)} ms (${gaps.length} frames in ${f1(r.seconds)} s)`,
    `input events ≥16 ms ${r.sample.slowEvents.length}${r.sample.slowEvents.length ? ` (max ${f1(Math.max(...r.sample.slowEvents.map((e) => e.duration)))} ms)` : ''}`,
  ];
  if (r.echoes) {
    const echo = r.echoes.map((e) => e.echoMs).sort((a, b) => a - b);
    const delay = r.echoes.map((e) => e.inputDelayMs).sort((a, b) => a - b);
    const parsed = r.echoes.map((e) => e.parsedMs).sort((a, b) => a - b);
    parts.push(
      `key → echo rendered p50 ${f1(pct(echo, 50))} / p99 ${f1(pct(echo, 99))} / max ${f1(echo.at(-1) ?? Number.NaN)} ms (${echo.length} keys, ${r.timeouts} over 2 s); echo parsed p50 ${f1(pct(parsed, 50))} / p99 ${f1(pct(parsed, 99))} ms; input delay p99 ${f1(pct(delay, 99))} ms`,
    );
  }
  return `${r.name} (load ${r.load}): ${parts.join('; ')}`;
}

// ── the page ─────────────────────────────────────────────────────────────────────────────────────────────────
const results: PhaseResult[] = [];
const heap = { samples: [] as { at: number; used: number; phase: string }[], phase: 'start' };

async function heapUsed(cdp: CDPSession, gc = false): Promise<number> {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/** Shows a tab (or focuses a terminal), lets the switch settle, then records one phase. */
async function phase(
  page: Page,
  name: string,
  show: () => Promise<void>,
  work: () => Promise<{ echoes?: EchoSample[]; timeouts?: number } | void>,
): Promise<PhaseResult> {
  await show();
  await sleep(1000);
  heap.phase = name;
  const l = load();
  await resetPhase(page);
  const t0 = performance.now();
  const extra = (await work()) ?? {};
  const seconds = (performance.now() - t0) / 1000;
  const r: PhaseResult = { name, seconds, load: `${l}→${load()}`, sample: await takePhase(page), ...extra };
  results.push(r);
  say(`   ${describe(r)}`);
  return r;
}

/** KEYS keystrokes into the focused terminal, the next 30–70 ms after the previous echo; Ctrl-U every 60 keys. */
async function typeKeys(page: Page): Promise<{ echoes: EchoSample[]; timeouts: number }> {
  await takeEchoes(page);
  let timeouts = 0;
  let expected = 0;
  for (let i = 0; i < KEYS; i++) {
    if (i % 60 === 59) {
      await page.keyboard.press('Control+U');
      await sleep(50);
    }
    await page.keyboard.press('x');
    expected++;
    if (!(await waitEchoes(page, expected, 2000))) {
      timeouts++;
      expected = await page.evaluate(() => window.pwBench!.echo!.samples.length);
    }
    await sleep(30 + Math.random() * 40);
  }
  await page.keyboard.press('Control+U');
  return { echoes: await takeEchoes(page), timeouts };
}

/** bench/map.ts's sender, until /tmp/pw-stop exists (or 15 minutes); writes its count and seconds to /tmp/pw-sent. */
const generator = (pps: number) =>
  `rm -f /tmp/pw-stop /tmp/pw-sent; python3 -c $'import os, socket, time\\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\\ndst = (socket.gethostbyname("node1"), 9999)\\nt0 = time.time(); n = 0\\nwhile time.time() < t0 + 900:\\n    s.sendto(b"x" * 64, dst); n += 1\\n    if n % 100 == 0:\\n        if os.path.exists("/tmp/pw-stop"): break\\n        d = t0 + n / ${pps} - time.time()\\n        if d > 0: time.sleep(d)\\nopen("/tmp/pw-sent", "w").write("%d %.1f" % (n, time.time() - t0))' >/dev/null 2>&1 &`;

/** "running on node1 eth0 · 1234 packets decoded · 56 not listed (rate limit)" → its numbers. */
function statusCounts(text: string): { state: string; decoded: number; skipped: number } {
  return {
    state: text.split(' ')[0] ?? '',
    decoded: Number(/(\d+) packets decoded/.exec(text)?.[1] ?? 0),
    skipped: Number(/(\d+) not listed/.exec(text)?.[1] ?? 0),
  };
}

async function run(): Promise<void> {
  await startServer();
  say(
    `bench:map browser phase on ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${RATES.join(' and ')} packets/s, ${SECONDS} s per list phase, ${KEYS} keys per terminal phase`,
  );
  browser = await chromium.launch({ executablePath: chromiumLaunchOptions.executablePath, args: chromiumLaunchOptions.args, headless: true });
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await installProbes(page);
  const cdp = await context.newCDPSession(page);
  const lp = new LessonPage(page);

  await page.goto(LESSON_URL);
  await page.getByRole('button', { name: 'Start lab' }).click();
  await lp.waitLive('node1', 180_000);
  await lp.typeLine('node1', 'setsid -f socat -u UDP-RECV:9999 /dev/null </dev/null >/dev/null 2>&1', 30_000);
  await lp.focusTerminal('node1');
  await installEcho(page, 'node1');
  const rendererName = await page.evaluate(() => (document.querySelector('[data-testid="terminal-node1"] canvas') ? 'WebGL (canvas)' : 'DOM'));
  say(`Chromium ${browser.version()} (headless, ${chromiumLaunchOptions.executablePath ?? "Playwright's"}); terminal renderer: ${rendererName}`);
  await sleep(2000);

  const heapTimer = setInterval(() => {
    const p = heap.phase;
    heapUsed(cdp).then(
      (used) => heap.samples.push({ at: Date.now(), used, phase: p }),
      () => undefined,
    );
  }, 1000);
  const showTerminal = async () => {
    await lp.openTab('Capture'); // so focusTerminal really switches back and clicks into the terminal
    await lp.focusTerminal('node1');
  };
  const showList = () => lp.openTab('Capture');
  try {
    const heapBefore = await heapUsed(cdp, true);
    say(`\nquiet (no capture yet; JS heap after GC ${mib(heapBefore)} MiB)`);
    await phase(page, 'quiet, terminal', showTerminal, () => typeKeys(page));
    await lp.openTab('Capture');
    await page.waitForFunction(() => (document.querySelector('select[aria-label="interface"]') as HTMLSelectElement | null)?.value === 'eth0', undefined, {
      timeout: 30_000,
    });
    await phase(page, 'quiet, list', showList, () => sleep(SECONDS * 1000));

    for (const pps of RATES) {
      say(`\ncapture on node1's eth0 while node2 sends ${pps} UDP packets/s to node1`);
      await lp.typeLine('node2', generator(pps), 30_000);
      // Each phase gets a fresh capture (with the old pipeline a capture ended by itself after about 7,000 packets;
      // fresh captures keep the phases comparable with those runs).
      let captures = 0;
      const ensureCapture = async () => {
        await lp.openTab('Capture');
        const now = await page
          .getByTestId('capture-status')
          .getAttribute('data-state', { timeout: 1000 })
          .catch(() => null);
        if (now === 'running') {
          await page.getByTestId('capture-panel').getByRole('button', { name: 'Stop' }).click();
          await page.locator('[data-testid="capture-status"]:not([data-state="running"])').waitFor({ timeout: 30_000 });
        }
        await page.getByRole('button', { name: 'Start capture' }).click();
        await page.locator('[data-testid="capture-status"][data-state="running"]').waitFor({ timeout: 120_000 });
        captures++;
      };
      const captureStart = await heapUsed(cdp, true);
      const statuses: string[] = [];
      const status = async () => {
        const text = await page.getByTestId('capture-status').innerText();
        statuses.push(text);
        return statusCounts(text);
      };
      const listPhase = async (name: string) => {
        await ensureCapture();
        const a = await status();
        const r = await phase(page, name, showList, () => sleep(SECONDS * 1000));
        const b = await status();
        say(
          `      capture ${b.state}; rows sent to the page ${(b.decoded - b.skipped - (a.decoded - a.skipped)) / r.seconds}/s, decoded ${(b.decoded - a.decoded) / r.seconds}/s`.replace(
            /(\d+\.\d)\d+/g,
            '$1',
          ),
        );
      };
      await listPhase(`capture ${pps}/s, list`);
      const heapList1 = await heapUsed(cdp, true);
      await ensureCapture();
      await phase(page, `capture ${pps}/s, terminal`, showTerminal, () => typeKeys(page));
      say(`      capture ${(await status()).state} at the end of the phase`);
      await listPhase(`capture ${pps}/s, list (2)`);
      const heapList2 = await heapUsed(cdp, true);
      const shown = await page.locator('[data-testid="packet-row"]').count();
      const note = await page
        .getByTestId('packet-list-note')
        .innerText({ timeout: 1000 })
        .catch(() => '(no note)');
      const lastNo = await page
        .locator('[data-testid="packet-row"] td:first-child')
        .last()
        .innerText({ timeout: 1000 })
        .catch(() => '–');
      const end = await status();
      if (end.state === 'running') {
        await page.getByTestId('capture-panel').getByRole('button', { name: 'Stop' }).click();
        await page.locator('[data-testid="capture-status"]:not([data-state="running"])').waitFor({ timeout: 30_000 });
      }
      await lp.typeLine('node2', 'touch /tmp/pw-stop; sleep 1; cat /tmp/pw-sent; echo', 30_000);
      const sentLine = (await lp.output('node2')).find((l) => /^\d+ [\d.]+$/.test(l.trim()));
      const [sent, sentSeconds] = sentLine ? sentLine.trim().split(' ').map(Number) : [Number.NaN, Number.NaN];
      const heapStopped = await heapUsed(cdp, true);
      const peak = Math.max(...heap.samples.filter((x) => x.phase.startsWith(`capture ${pps}/s`)).map((x) => x.used));
      say(`   captures started: ${captures} (one per phase)`);
      say(`   generator sent ${sent} packets in ${sentSeconds} s (${Math.round(sent! / sentSeconds!)}/s)`);
      say(`   status line: after the first list phase "${statuses[1]}"; at the end "${statuses.at(-1)}"`);
      say(`   list: ${shown} rows; newest row's frame number ${lastNo}; note: "${note}"`);
      say(
        `   JS heap after GC: before ${mib(captureStart)} MiB, after list ${mib(heapList1)}, after terminal + list ${mib(heapList2)}, stopped ${mib(heapStopped)}; peak without GC during the capture ${mib(peak)} MiB`,
      );
    }
    say('\nquiet again');
    await phase(page, 'quiet, terminal (after)', showTerminal, () => typeKeys(page));
    say(`   JS heap after GC ${mib(await heapUsed(cdp, true))} MiB (before any capture: ${mib(heapBefore)} MiB)`);
    const worst = Math.max(0, ...results.flatMap((r) => r.sample.longTasks));
    say(`\nlongest task in any phase: ${f1(worst)} ms (bar: ${LONG_TASK_BAR_MS} ms): ${worst <= LONG_TASK_BAR_MS ? 'met' : 'NOT met'}`);
  } catch (err) {
    const shot = path.join(os.tmpdir(), `pw-bench-map-browser-${port}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    say(`screenshot of the failure: ${shot}`);
    throw err;
  } finally {
    clearInterval(heapTimer);
  }
}

const onSignal = () => {
  void (async () => {
    await browser?.close().catch(() => undefined);
    await stopServer().catch(() => undefined);
    await removeStoreLabs().catch(() => undefined);
    process.exit(130);
  })();
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

let failed = false;
try {
  await run();
} catch (err) {
  failed = true;
  console.error(`bench:map browser phase failed: ${(err as Error).stack ?? String(err)}`);
} finally {
  await browser?.close().catch(() => undefined);
  await stopServer().catch((err: Error) => console.error(`stopping the server: ${err.message}`));
  await removeStoreLabs().catch((err: Error) => console.error(`removing the store's labs: ${err.message}`));
}
process.exit(failed ? 1 : 0);
