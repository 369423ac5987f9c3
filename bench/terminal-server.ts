// Child process of bench/terminal.ts: a real lab (two node containers) and the terminal gateway on loopback,
// alone in its process so its memory and CPU can be measured. Talks to the parent over IPC.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTerminalHarness } from '../tests/integration/terminal/terminal-harness.ts';
import { setLogLevel } from '../lib/log.ts';
import { createTerminalGateway } from '../lab-runner/terminal/terminal-gateway.ts';
import { syntheticLabs } from './terminal-synthetic-shell.ts';

setLogLevel('warn');
const extra = Number(process.env.BENCH_EXTRA_LABS ?? '0');
const h = await startTerminalHarness({ graceMs: 60_000, heartbeatMs: 30_000, upgradesPerLearnerPerMinute: 10_000, failedUpgradesPerMinute: 10_000 }, extra);

// The same gateway code in front of an in-process source: its ceiling without Docker's PTY path.
const synthetic = createTerminalGateway({ labs: syntheticLabs('synthetic-lab', 'learner-aaaaaaaaaaaaaaaa'), ticketKey: h.ticketKey, graceMs: 60_000 });
const syntheticServer = http.createServer((_q, r) => r.writeHead(404).end());
syntheticServer.on('upgrade', (req, socket, head) => {
  if (!synthetic.handleUpgrade(req, socket, head)) socket.destroy();
});
await new Promise<void>((r) => syntheticServer.listen(0, '127.0.0.1', r));
const syntheticPort = (syntheticServer.address() as AddressInfo).port;

/** Raw `docker exec` TTY throughput, no gateway: the engine's own ceiling on this host. */
async function rawDocker(command: string): Promise<{ mbPerS: number; mb: number }> {
  const exec = await h.runtime.execTty(h.containerOf('node2'), { cmd: ['bash', '-c', command], cols: 200, rows: 40 });
  let bytes = 0;
  const t0 = performance.now();
  exec.stream.on('data', (d: Buffer) => (bytes += d.length));
  await new Promise((r) => exec.stream.once('end', r));
  const s = (performance.now() - t0) / 1000;
  return { mbPerS: bytes / 1e6 / s, mb: bytes / 1e6 };
}

/**
 * The same command through a PTY inside the node with no Docker stream at all (util-linux `script` owns the PTY,
 * its output goes to `wc -c`): what the kernel's terminal layer alone allows on this host, the ceiling for any
 * browser terminal that gives programs a real TTY.
 */
async function ptyAlone(command: string): Promise<{ mbPerS: number; mb: number }> {
  const r = await h.runtime.exec(h.containerOf('node2'), {
    cmd: ['bash', '-c', 't0=${EPOCHREALTIME/./}; n=$(script -qfc "$0" /dev/null </dev/null | wc -c); echo "$n $(( ${EPOCHREALTIME/./} - t0 ))"', command],
    timeoutMs: 300_000,
  });
  const [bytes, micros] = r.stdout.trim().split(/\s+/).map(Number);
  if (!bytes || !micros) throw new Error(`pty-alone measurement failed: ${r.stdout} ${r.stderr}`);
  return { mbPerS: bytes / 1e6 / (micros / 1e6), mb: bytes / 1e6 };
}

let cpuMark = process.cpuUsage();
let timeMark = performance.now();

process.on('message', (m: { type: string; command?: string }) => {
  if (m.type === 'raw') {
    void rawDocker(m.command!).then((r) => process.send!({ type: 'raw', ...r }));
  } else if (m.type === 'pty') {
    void ptyAlone(m.command!).then((r) => process.send!({ type: 'pty', ...r }));
  } else if (m.type === 'stats') {
    if (global.gc) global.gc();
    const mem = process.memoryUsage();
    process.send!({ type: 'stats', rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers, gateway: h.gateway.stats() });
  } else if (m.type === 'cpu-mark') {
    cpuMark = process.cpuUsage();
    timeMark = performance.now();
    process.send!({ type: 'cpu-mark' });
  } else if (m.type === 'cpu') {
    const used = process.cpuUsage(cpuMark);
    process.send!({ type: 'cpu', cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - timeMark });
  } else if (m.type === 'close') {
    void Promise.all([h.close(), synthetic.close()]).then(() => process.exit(0));
  }
});

process.send!({
  type: 'ready',
  wsBase: h.wsBase,
  syntheticWsBase: `ws://127.0.0.1:${syntheticPort}${synthetic.path}`,
  syntheticOrigin: `http://127.0.0.1:${syntheticPort}`,
  origin: h.origin,
  ticketKey: h.ticketKey.toString('hex'),
  labId: h.labId,
  extraLabs: h.extraLabs,
});
