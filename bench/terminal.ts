// `npm run bench:terminal`: the browser terminal through the real gateway and real `docker exec` shells.
//   - keystroke-to-echo latency (readline echo in bash), p50/p99     targets: p50 < 5 ms, p99 < 20 ms (loopback)
//   - sustained output to a headless client acking like a browser    target: >= 20 MB/s
//     (plain lines, base64 lines, and coloured lines the screen mirror cannot skip), with gateway CPU per MB
//   - Ctrl-C during `yes`: time until the prompt is back
//   - gateway memory with 50 terminals streaming `yes` at once
// The gateway runs in a child process (bench/terminal-server.ts) so its memory and CPU are its own.
// Prints a table and rewrites the "Terminal" section of BENCHMARKS.md.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueTicket } from '../lab-runner/terminal/ticket.ts';
import { TerminalClient } from '../lab-runner/terminal/terminal-client.ts';

const { values } = parseArgs({
  options: {
    keystrokes: { type: 'string', default: '400' },
    megabytes: { type: 'string', default: '100' },
    terminals: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    repeats: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const KEYSTROKES = Number(values.keystrokes);
const MEGABYTES = Number(values.megabytes);
const TERMINALS = Number(values.terminals);
const STREAM_SECONDS = Number(values.seconds);
const REPEATS = Math.max(1, Number(values.repeats));
const BENCH_FILE = path.resolve('BENCHMARKS.md');
const START = '<!-- bench:terminal:start -->';
const END = '<!-- bench:terminal:end -->';
const PROMPT = /[#$] $/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ready {
  wsBase: string;
  origin: string;
  syntheticWsBase: string;
  syntheticOrigin: string;
  ticketKey: string;
  labId: string;
  extraLabs: { labId: string; learner: string }[];
}

const child: ChildProcess = fork(path.resolve('bench/terminal-server.ts'), [], {
  env: { ...process.env, BENCH_EXTRA_LABS: String(Math.ceil(TERMINALS / 2)) },
  execArgv: ['--expose-gc'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const replies: Array<(m: Record<string, unknown>) => void> = [];
child.on('message', (m: Record<string, unknown>) => replies.shift()?.(m));
let closing = false;
child.on('exit', (code, signal) => {
  if (replies.length === 0 || closing) return;
  console.error(`bench/terminal-server.ts exited (${code ?? signal}) while the benchmark was waiting for it`);
  process.exit(1);
});
const ask = <T>(type: string, extra: Record<string, unknown> = {}): Promise<T> =>
  new Promise((resolve) => {
    replies.push(resolve as (m: Record<string, unknown>) => void);
    if (type !== 'ready') child.send({ type, ...extra });
  });

const ready = await ask<Ready>('ready');
const key = Buffer.from(ready.ticketKey, 'hex');
const LEARNER = 'learner-aaaaaaaaaaaaaaaa';

function connect(opts: { learner?: string; lab?: string; target?: string; keepOutput?: boolean; cols?: number; synthetic?: boolean } = {}) {
  const ticket = issueTicket(key, { learner: opts.learner ?? LEARNER, lab: opts.lab ?? ready.labId, target: opts.target ?? 'node1' }).ticket;
  const [base, origin] = opts.synthetic ? [ready.syntheticWsBase, ready.syntheticOrigin] : [ready.wsBase, ready.origin];
  return TerminalClient.connect({ url: `${base}?ticket=${encodeURIComponent(ticket)}`, origin, keepOutput: opts.keepOutput, cols: opts.cols ?? 120, rows: 40 });
}

/** Ends a shell so the next connection to that target starts a new one (and waits for its prompt). */
async function exitShell(c: TerminalClient): Promise<void> {
  c.type('\x15exit\r');
  await c.closed;
  c.dispose();
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const mb = (bytes: number) => bytes / 1e6;
const fmt = (n: number, d = 1) => n.toFixed(d);

// ---------- keystroke-to-echo latency ----------
async function latency() {
  const c = await connect({ target: 'node1' });
  await c.waitFor(PROMPT);
  const samples: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    if (i % 60 === 59) {
      c.type('\x15'); // Ctrl-U: clear the line so it never wraps
      await sleep(30);
    }
    const before = c.receivedBytes;
    const t0 = performance.now();
    c.type('x');
    await new Promise<void>((resolve) => {
      const check = () => (c.receivedBytes > before ? resolve() : setImmediate(check));
      check();
    });
    samples.push(performance.now() - t0);
    await sleep(3);
  }
  await exitShell(c);
  samples.sort((a, b) => a - b);
  return { p50: pct(samples, 50), p99: pct(samples, 99), max: samples.at(-1)! };
}

// ---------- sustained throughput ----------
async function throughput(label: string, command: string, synthetic = false) {
  const c = await (synthetic
    ? connect({ synthetic: true, lab: 'synthetic-lab', target: 'synthetic', keepOutput: false, cols: 200 })
    : connect({ target: 'node2', keepOutput: false, cols: 200 }));
  await c.waitFor(PROMPT);
  await sleep(200);
  await ask('cpu-mark');
  const start = c.receivedBytes;
  const t0 = performance.now();
  // The marker is assembled by the shell, so the echoed command line itself never matches.
  c.type(synthetic ? `${command}\r` : `${command}; echo __DO""NE__\r`);
  await c.waitFor(/__DONE__\r\n/, 300_000);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = await ask<{ cpuMs: number; wallMs: number }>('cpu');
  const bytes = c.receivedBytes - start;
  const stats = await ask<{ gateway: { mirrorBacklogBytes: number } }>('stats');
  await exitShell(c);
  return {
    label,
    mbPerS: mb(bytes) / seconds,
    mb: mb(bytes),
    cpuPerMb: cpu.cpuMs / mb(bytes),
    cpuShare: cpu.cpuMs / cpu.wallMs,
    backlog: stats.gateway.mirrorBacklogBytes,
  };
}

// ---------- Ctrl-C during yes ----------
async function ctrlC() {
  const c = await connect({ target: 'node1', keepOutput: false });
  await c.waitFor(PROMPT);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    c.type('yes\r');
    await sleep(700);
    const t0 = performance.now();
    c.type('\x03');
    await c.waitFor(/\^C\r\n(\x1b\[\?2004h)?[^\r\n]*[#$] $/, 30_000);
    times.push(performance.now() - t0);
    await sleep(200);
  }
  await exitShell(c);
  times.sort((a, b) => a - b);
  return { median: pct(times, 50), max: times.at(-1)! };
}

// ---------- memory with many streaming terminals ----------
async function manyTerminals() {
  const idle = await ask<{ rss: number; heapUsed: number }>('stats');
  const clients: TerminalClient[] = [];
  for (let i = 0; i < TERMINALS; i++) {
    const lab = ready.extraLabs[Math.floor(i / 2)]!;
    clients.push(await connect({ learner: lab.learner, lab: lab.labId, target: i % 2 === 0 ? 'node1' : 'node2', keepOutput: false }));
  }
  await Promise.all(clients.map((c) => c.waitForMessage('ready')));
  await sleep(1500);
  const before = await ask<{ rss: number; heapUsed: number }>('stats');
  await ask('cpu-mark');
  const startBytes = clients.reduce((n, c) => n + c.receivedBytes, 0);
  for (const c of clients) c.type('yes\r');
  let peakRss = 0;
  let peakHeap = 0;
  let peakBacklog = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < STREAM_SECONDS * 1000) {
    await sleep(500);
    const s = await ask<{ rss: number; heapUsed: number; gateway: { mirrorBacklogBytes: number } }>('stats');
    peakRss = Math.max(peakRss, s.rss);
    peakHeap = Math.max(peakHeap, s.heapUsed);
    peakBacklog = Math.max(peakBacklog, s.gateway.mirrorBacklogBytes);
  }
  const cpu = await ask<{ cpuMs: number; wallMs: number }>('cpu');
  const bytes = clients.reduce((n, c) => n + c.receivedBytes, 0) - startBytes;
  for (const c of clients) c.type('\x03');
  await Promise.all(clients.map((c) => c.waitFor(/\^C\r\n(\x1b\[\?2004h)?[^\r\n]*[#$] $/, 60_000).catch(() => undefined)));
  await Promise.all(clients.map((c) => exitShell(c)));
  return { idle, before, peakRss, peakHeap, peakBacklog, mbPerS: mb(bytes) / STREAM_SECONDS, cpuShare: cpu.cpuMs / cpu.wallMs };
}

try {
  console.log('measuring keystroke-to-echo latency…');
  const lat = await latency();
  console.log(`  p50 ${fmt(lat.p50, 2)} ms, p99 ${fmt(lat.p99, 2)} ms`);
  const bytes = MEGABYTES * 1_000_000;
  const runs = [
    ['plain lines (`yes`)', `yes | head -c ${bytes}`],
    ['base64 lines, 76 columns', `head -c ${Math.round((bytes * 3) / 4)} /dev/urandom | base64`],
    ['coloured lines (two SGRs per 19 bytes)', `yes $'\\e[32mok\\e[0m line' | head -c ${Math.round(bytes / 5)}`],
  ] as const;
  const tput = [];
  // Each figure is the median of REPEATS runs, the three paths interleaved, so a burst of other work on this shared
  // machine moves one sample of each rather than the whole of one path.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [label, cmd] of runs) {
    console.log(`measuring throughput: ${label} (median of ${REPEATS})…`);
    const ptys: number[] = [];
    const raws: number[] = [];
    const gws: Awaited<ReturnType<typeof throughput>>[] = [];
    for (let i = 0; i < REPEATS; i++) {
      ptys.push((await ask<{ mbPerS: number }>('pty', { command: cmd })).mbPerS);
      raws.push((await ask<{ mbPerS: number }>('raw', { command: cmd })).mbPerS);
      gws.push(await throughput(label, cmd));
    }
    const r = gws.find((g) => g.mbPerS === median(gws.map((x) => x.mbPerS)))!;
    const [pty, raw] = [median(ptys), median(raws)];
    console.log(
      `  ${fmt(r.mbPerS)} MB/s through the gateway (runs: ${gws.map((g) => fmt(g.mbPerS)).join(', ')}; docker exec alone: ${fmt(raw)} MB/s; PTY alone: ${fmt(pty)} MB/s), gateway CPU ${fmt(r.cpuPerMb, 2)} ms/MB`,
    );
    tput.push({ ...r, raw, pty, runs: gws.map((g) => g.mbPerS) });
  }
  const synth = [];
  for (const [label, cmd] of [
    ['plain lines', `plain ${bytes}`],
    ['coloured lines (two SGRs per 19 bytes)', `color ${Math.round(bytes / 2)}`],
  ] as const) {
    console.log(`measuring gateway ceiling (in-process source): ${label}…`);
    const r = await throughput(label, cmd, true);
    console.log(`  ${fmt(r.mbPerS)} MB/s, gateway CPU ${fmt(r.cpuPerMb, 2)} ms/MB`);
    synth.push(r);
  }
  console.log('measuring Ctrl-C during yes…');
  const cc = await ctrlC();
  console.log(`  median ${fmt(cc.median)} ms`);
  console.log(`measuring memory with ${TERMINALS} terminals streaming…`);
  const many = await manyTerminals();
  const mib = (b: number) => fmt(b / 1024 / 1024);
  console.log(`  rss idle ${mib(many.idle.rss)} MiB, with ${TERMINALS} attached ${mib(many.before.rss)} MiB, peak streaming ${mib(many.peakRss)} MiB`);

  const ok = (pass: boolean) => (pass ? 'yes' : '**no**');
  const host = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} at the end (shared machine)`;
  const body = `
Measured ${new Date().toISOString().slice(0, 10)} on ${host}; Docker ${'engine on the same host'}, gateway in its own process, loopback WebSocket.
Shells are real \`docker exec\` TTYs in node containers; clients ack from their write callback like the browser does (no rendering).

| Measure | Result | Target | Met |
|---|---|---|---|
| Keystroke → echo, p50 (${KEYSTROKES} keys, bash readline) | ${fmt(lat.p50, 2)} ms | < 5 ms | ${ok(lat.p50 < 5)} |
| Keystroke → echo, p99 | ${fmt(lat.p99, 2)} ms | < 20 ms | ${ok(lat.p99 < 20)} |
${tput.map((r) => `| Throughput end to end, ${r.label} (${fmt(r.mb, 0)} MB; median of ${r.runs.map((x) => fmt(x)).join(' / ')}) | ${fmt(r.mbPerS)} MB/s (same command on this host: PTY alone ${fmt(r.pty)} MB/s, docker exec alone ${fmt(r.raw)} MB/s; gateway ${fmt(r.cpuPerMb, 2)} ms CPU/MB) | ≥ 20 MB/s | ${ok(r.mbPerS >= 20)} |`).join('\n')}
${synth.map((r) => `| Gateway ceiling, in-process source, ${r.label} (${fmt(r.mb, 0)} MB) | ${fmt(r.mbPerS)} MB/s (${fmt(r.cpuPerMb, 2)} ms CPU/MB) | ≥ 20 MB/s | ${ok(r.mbPerS >= 20)} |`).join('\n')}
| Ctrl-C during \`yes\` → prompt back (median of 5, max) | ${fmt(cc.median)} ms (max ${fmt(cc.max)} ms) | "at once" | ${ok(cc.max < 1000)} |
| Gateway RSS: idle / ${TERMINALS} terminals attached / peak while all stream \`yes\` | ${mib(many.idle.rss)} / ${mib(many.before.rss)} / ${mib(many.peakRss)} MiB | bounded | ${ok(many.peakRss - many.before.rss < 256 * 1024 * 1024)} |
| Gateway heap peak, mirror backlog peak (all ${TERMINALS}) | ${mib(many.peakHeap)} MiB, ${mib(many.peakBacklog)} MiB | bounded | — |
| ${TERMINALS} terminals streaming: total delivered, gateway CPU | ${fmt(many.mbPerS)} MB/s, ${fmt(many.cpuShare * 100, 0)}% of a core | — | — |

How to read it. End-to-end throughput cannot exceed what \`docker exec\` itself delivers on the host, and that cannot
exceed the kernel's PTY: both are measured in the same run with the same command ("PTY alone": util-linux \`script\`
inside the node owns the PTY and its output is only counted, no Docker stream, no gateway). \`yes\`-style output (2-byte
lines, each LF expanded to CRLF by the PTY's line discipline) is the slowest case for the kernel, so no terminal that
gives programs a real TTY can reach 20 MB/s with it on this host; the gateway's share is the gap to "docker exec alone".
While a program floods, the gateway waits up to 4 ms to send bigger frames (Docker hands it ~4 KiB reads); an echo
after a quiet moment goes out at once. The in-process rows feed the
same gateway code from a generator that honours back-pressure, which shows the gateway's own ceiling (WebSocket, flow
control, screen mirror). The gateway pauses a shell above 2 MiB unacked (1 MiB in the socket, 2 MiB waiting for the
mirror), so memory per terminal is bounded whatever the program prints; the mirror (@xterm/headless, exact screens on
reconnect) skips output that provably scrolls out of its 1000-line scrollback, keeping only the colour state. Latency
percentiles on a shared 2-core machine mostly measure the other processes: compare p50 against the target.
`;
  console.log(body);
  if (!values['no-write']) {
    const section = `${START}\n## Terminal (\`npm run bench:terminal\`)\n${body.trimEnd()}\n${END}`;
    const current = existsSync(BENCH_FILE) ? readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
    writeFileSync(
      BENCH_FILE,
      current.includes(START) ? current.replace(new RegExp(`${START}[\\s\\S]*?${END}`), section) : `${current.trimEnd()}\n\n${section}\n`,
    );
    console.log(`updated ${path.relative(process.cwd(), BENCH_FILE)}`);
  }
} catch (err) {
  console.error('bench:terminal failed:', err);
  process.exitCode = 1;
} finally {
  closing = true;
  if (child.connected) {
    child.send({ type: 'close' });
    await new Promise((r) => child.once('exit', r));
  }
}
process.exit(process.exitCode ?? 0);
