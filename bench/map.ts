// `npm run bench:map`: what the network map and captures cost, on the real platform with real labs.
//   1. Map refresh cost per node: server CPU (this process) and lab CPU (the node containers' cpuacct, read on the
//      host: cgroup v1 or v2) per refresh of a two-node lab with pods, a bridge, a VXLAN and nft DNAT.
//   2. Change-to-map latency: a link is added by exec; the map is read as the browser does after terminal output
//      (ACTIVITY_DEBOUNCE_MS, then one read): p50/p99 from the command's end to a map that has the link.
//   3. Capture at 10k packets/s (UDP from node2 to node1's eth0, paced by python3 in the lab): packets tshark saw,
//      rows skipped by the browser rate limit, this process's peak RSS, and a second lab's terminal echo p99 (through
//      the terminal gateway, one key every 20 ms) and raw `docker exec true` latency: quiet, with the traffic alone, and
//      with the traffic under capture; per phase the capture lab's node CPU (cgroup cpuacct), and under capture the
//      CPU and context switches per second of each capture process in node1 (dumpcap, the pacer, tshark).
//   4. The list's latency at one ping a second: from the ping to its row at a watcher of the capture.
// Every figure is printed with the 1-minute load average: the machine is shared.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.ts';
import { deriveKey, getSessionSecret } from '../lib/learner/session-secret.ts';
import { setLogLevel } from '../lib/log.ts';
import { createPlatform } from '../lab-runner/platform.ts';
import { issueTicket } from '../lab-runner/terminal/ticket.ts';
import { TerminalClient } from '../lab-runner/terminal/terminal-client.ts';
import { percentile, probeEcho } from '../tests/integration/terminal/neighbour-probe.ts';
import { ACTIVITY_DEBOUNCE_MS } from '../app/_components/map/use-lab-map.ts';

const { values } = parseArgs({
  options: {
    refreshes: { type: 'string', default: '20' },
    changes: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '15' },
    pps: { type: 'string', default: '10000' },
  },
});
const REFRESHES = Number(values.refreshes);
const CHANGES = Number(values.changes);
const SECONDS = Number(values.seconds);
const PPS = Number(values.pps);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg()[0]!.toFixed(2);
const ms = (n: number) => `${n.toFixed(1)} ms`;

setLogLevel('error');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-map-'));
const config = loadConfig({
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  WARM_POOL: 'nodes-2=0',
  BUILD_IMAGES_ON_START: 'false',
  LOG_LEVEL: 'error',
  LAB_HARD_EXPIRY: '30m',
});
const platform = await createPlatform(config);
await platform.start();
const labs = platform.labs;
const net = platform.network;
console.log(
  `bench:map on ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const lab = await labs.create({ template: 'nodes-2', learnerId: 'bench-map-0000000000' });
const neighbour = await labs.create({ template: 'nodes-1', learnerId: 'bench-map-neighbour0' });
const addr = (t: string) => lab.targets.find((x) => x.name === t)!.ipv4!;
const sh = (target: string, script: string, labId = lab.id) => labs.exec(labId, target, { cmd: ['bash', '-c', script], timeoutMs: 120_000 });

try {
  for (const [n, peer, k] of [
    ['node1', 'node2', 1],
    ['node2', 'node1', 2],
  ] as const) {
    await sh(
      n,
      `ip netns add pod-a; ip netns add pod-b; ip link add br0 type bridge; ip link set br0 up; ip addr add 10.100.${k}.1/24 dev br0
      for p in a b; do ip link add veth-$p type veth peer name eth0 netns pod-$p; ip link set veth-$p master br0 up; ip -n pod-$p link set eth0 up; done
      ip -n pod-a addr add 10.100.${k}.10/24 dev eth0; ip -n pod-b addr add 10.100.${k}.11/24 dev eth0
      ip link add vxlan100 type vxlan id 100 remote ${addr(peer)} dstport 4789 dev eth0; ip link set vxlan100 up
      nft add table ip nat; nft 'add chain ip nat prerouting { type nat hook prerouting priority -100; }'
      nft add rule ip nat prerouting ip daddr 10.96.0.10 tcp dport 80 dnat to 10.100.${k}.10:8080`,
    );
  }

  // 1. refresh cost
  const cpuacct = (containerId: string): number | undefined => {
    for (const f of [`/sys/fs/cgroup/cpuacct/docker/${containerId}/cpuacct.usage`, `/sys/fs/cgroup/system.slice/docker-${containerId}.scope/cpu.stat`]) {
      try {
        const text = fs.readFileSync(f, 'utf8');
        return f.endsWith('cpu.stat') ? Number(/usage_usec (\d+)/.exec(text)![1]) / 1000 : Number(text) / 1e6;
      } catch {
        // try the next layout
      }
    }
    return undefined;
  };
  const nodes = lab.targets.filter((t) => t.kind === 'node');
  const labCpu = () => nodes.reduce((s, t) => s + (cpuacct(t.containerId) ?? Number.NaN), 0);
  await net.map(lab.id); // warm
  const l0 = load();
  const cpu0 = process.cpuUsage();
  const lab0 = labCpu();
  const walls: number[] = [];
  const execs: number[] = [];
  let model = 0;
  for (let i = 0; i < REFRESHES; i++) {
    const t0 = performance.now();
    const r = await net.mapWithTiming(lab.id, { routes: false });
    walls.push(performance.now() - t0);
    execs.push(...r.timing.nodes.map((x) => x.execMs));
    model += r.timing.modelMs;
  }
  const cpu = process.cpuUsage(cpu0);
  const labMs = labCpu() - lab0;
  const perNode = REFRESHES * nodes.length;
  const map = await net.map(lab.id);
  console.log(
    `\n1. Map refresh (${REFRESHES} refreshes × ${nodes.length} nodes; ${map.interfaces.length} interfaces, ${map.links.length} links, ${map.services.length} services), load ${l0}→${load()}`,
  );
  console.log(`   server CPU per node per refresh: ${ms((cpu.user + cpu.system) / 1000 / perNode)} (model ${ms(model / REFRESHES)} per refresh)`);
  console.log(`   lab CPU per node per refresh:    ${Number.isNaN(labMs) ? 'n/a (no cgroup cpuacct readable here)' : ms(labMs / perNode)}`);
  walls.sort((a, b) => a - b);
  execs.sort((a, b) => a - b);
  console.log(`   refresh wall time p50 ${ms(percentile(walls, 50))}, p99 ${ms(percentile(walls, 99))}; one node's exec p50 ${ms(percentile(execs, 50))}`);

  // 2. change-to-map latency
  const lat: number[] = [];
  const l1 = load();
  for (let i = 0; i < CHANGES; i++) {
    await sh('node1', `ip link add bm${i} type veth peer name bmp${i}`);
    const t0 = performance.now();
    await sleep(ACTIVITY_DEBOUNCE_MS);
    for (;;) {
      const m = await net.map(lab.id);
      if (m.interfaces.some((x) => x.id === `node1/-/bm${i}`)) break;
    }
    lat.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  console.log(`\n2. Change to map (${CHANGES} links added by exec, read after the ${ACTIVITY_DEBOUNCE_MS} ms debounce), load ${l1}→${load()}`);
  console.log(`   p50 ${ms(percentile(lat, 50))}, p99 ${ms(percentile(lat, 99))} (target < 1000 ms)`);

  // 3. capture at PPS: neighbour's terminal and raw exec, quiet then under capture
  const server = http.createServer((_q, r) => r.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!platform.terminals.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const key = deriveKey(getSessionSecret(config), 'terminal-ticket');
  const term = await TerminalClient.connect({
    url: `ws://127.0.0.1:${port}${platform.terminals.path}?ticket=${encodeURIComponent(issueTicket(key, { learner: neighbour.learnerId, lab: neighbour.id, target: 'node1' }).ticket)}`,
    origin: `http://127.0.0.1:${port}`,
    cols: 120,
    rows: 40,
  });
  await term.waitForMessage('ready', 30_000);
  await term.waitFor(/[#$] $/, 30_000);
  const rawExec = async (until: () => boolean) => {
    const s: number[] = [];
    while (!until()) {
      const t0 = performance.now();
      await labs.exec(neighbour.id, 'node1', { cmd: ['true'] });
      s.push(performance.now() - t0);
      await sleep(200);
    }
    return s.sort((a, b) => a - b);
  };
  // The baseline for the terminal's echo: a raw TTY `docker exec bash` into the same node, no gateway in between.
  const tty = await labs.execTty(neighbour.id, 'node1', { cmd: ['bash', '-i'], cols: 120, rows: 40 });
  let ttyBytes = 0;
  tty.stream.on('data', (d: Buffer) => (ttyBytes += d.length));
  await sleep(1000);
  const rawTtyEcho = async (until: () => boolean) => {
    const s: number[] = [];
    let typed = 0;
    while (!until()) {
      if (++typed % 60 === 0) tty.stream.write('\x15');
      await sleep(37);
      const before = ttyBytes;
      const t0 = performance.now();
      tty.stream.write('y');
      while (ttyBytes === before && performance.now() - t0 < 2000) await new Promise((r) => setImmediate(r));
      s.push(performance.now() - t0);
    }
    return s.sort((a, b) => a - b);
  };
  // What each phase costs the capture's lab: its nodes' CPU (cgroup cpuacct, read on the host), in ms per second.
  const nodeCpu = () => nodes.map((t) => cpuacct(t.containerId) ?? Number.NaN);
  // The capture's own processes in node1 (dumpcap, the pacer, tshark): CPU ticks and context switches (how often
  // each was woken), from /proc in the node.
  const captureProcs = async () => {
    const out = await sh(
      'node1',
      `hz=$(getconf CLK_TCK); for p in $(pgrep -x 'dumpcap|python3|tshark'); do echo "$p $(cat /proc/$p/comm) $(cut -d' ' -f14,15 /proc/$p/stat) $hz $(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/$p/status)"; done`,
    );
    return new Map(
      out.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [pid, comm, utime, stime, hz, ctx] = l.split(' ');
          return [`${pid} ${comm}`, { ms: ((Number(utime) + Number(stime)) * 1000) / Number(hz), ctx: Number(ctx) }] as const;
        }),
    );
  };
  const phase = async (name: string, probeCapture = false) => {
    const l = load();
    const cpu0 = nodeCpu();
    const t0 = performance.now();
    const procs0 = probeCapture ? await captureProcs() : undefined;
    let done = false;
    const raw = rawExec(() => done);
    const rawTty = rawTtyEcho(() => done);
    const echo = await probeEcho(term, SECONDS * 1000);
    done = true;
    const r = await raw;
    const t = await rawTty;
    const procs1 = procs0 ? await captureProcs() : undefined;
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = nodeCpu().map((c, i) => (c - cpu0[i]!) / seconds);
    console.log(
      `   ${name}: terminal echo p50 ${ms(percentile(echo.sorted, 50))}, p99 ${ms(percentile(echo.sorted, 99))} (${echo.sorted.length} keys, ${echo.timeouts} over 2 s); raw docker exec TTY echo p50 ${ms(percentile(t, 50))}, p99 ${ms(percentile(t, 99))}; \`docker exec true\` p50 ${ms(percentile(r, 50))}, p99 ${ms(percentile(r, 99))}; load ${l}→${load()}`,
    );
    console.log(`     the capture's lab, CPU per second: ${nodes.map((n, i) => `${n.name} ${ms(perSecond[i]!)}`).join(', ')}`);
    if (procs0 && procs1) {
      const rows = [...procs1]
        .filter(([k]) => procs0.has(k))
        .map(([k, v]) => ({ comm: k.split(' ')[1], ms: (v.ms - procs0.get(k)!.ms) / seconds, wakes: (v.ctx - procs0.get(k)!.ctx) / seconds }));
      console.log(
        `     capture processes in node1, CPU and context switches per second: ${rows.map((x) => `${x.comm} ${ms(x.ms)} (${Math.round(x.wakes)}/s)`).join(', ')}`,
      );
    }
  };
  const sendFor = () =>
    sh(
      'node2',
      `python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t0 = time.time(); n = 0; end = t0 + ${SECONDS + 3}
while time.time() < end:
    s.sendto(b'x' * 64, ('${addr('node1')}', 9999)); n += 1
    if n % 100 == 0:
        d = t0 + n / ${PPS} - time.time()
        if d > 0: time.sleep(d)
print(n)
"`,
    );
  console.log(`\n3. Capture at ${PPS} packets/s on node1's eth0 (neighbour lab: its own node, ${SECONDS} s per phase)`);
  await phase('quiet          ');
  // The same traffic without a capture: what the packets alone cost the machine, so the capture's own share shows.
  await sh('node1', 'setsid -f socat -u UDP-RECV:9999 /dev/null </dev/null >/dev/null 2>&1');
  const trafficOnly = sendFor();
  await sleep(1000);
  await phase('traffic only   ');
  await trafficOnly;
  const capture = await net.startCapture(lab.id, { target: 'node1', iface: 'eth0' });
  // Watched, as by an open Capture tab: an unwatched capture stops after UNWATCHED_STOP_MS (10 s).
  const unwatch = net.watchCapture(lab.id, capture.id, () => {});
  const startT = Date.now();
  while (net.captureView(lab.id, capture.id).state === 'starting' && Date.now() - startT < 120_000) await sleep(200);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
  const seen0 = net.captureView(lab.id, capture.id).seen;
  const sender = sendFor();
  await sleep(1000);
  await phase('under capture  ', true);
  const sent = Number((await sender).stdout.trim());
  clearInterval(rssTimer);
  const v = net.captureView(lab.id, capture.id);
  console.log(
    `   sent ${sent} packets (${Math.round(sent / (SECONDS + 3))}/s); tshark listed ${v.seen - seen0} (${Math.round((v.seen - seen0) / (SECONDS + 3))}/s); ${v.skipped} rows not sent to the browser (rate limit 500/s)`,
  );
  console.log(`   server RSS ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB during (rows kept: at most 2,000)`);
  // The capture's own processes in the node (the ring's dumpcap, the list's dumpcap | tshark) and its state after the load.
  const inNode = (await sh('node1', 'ps -o rss=,comm= -C tshark,dumpcap || true')).stdout.trim().split('\n');
  console.log(
    `   capture ${v.state}${v.reason ? ` (${v.reason})` : ''} after the load; node-side RSS: ${inNode.map((l) => l.trim().replace(/^(\d+) (.*)$/, (_, k, c) => `${c} ${Math.round(Number(k) / 1024)} MiB`)).join(', ')}`,
  );
  await net.stopCapture(lab.id, capture.id);
  unwatch();

  // 4. The list's latency at a low rate: one ping a second from node2; from the ping's exec returning to its row
  // reaching a watcher of the capture (rows are batched every 200 ms on the way to browsers).
  const slow = await net.startCapture(lab.id, { target: 'node1', iface: 'eth0', filter: 'icmp' });
  const arrived = new Map<string, number>();
  const unwatchSlow = net.watchCapture(lab.id, slow.id, (e) => {
    if (e.type !== 'packets') return;
    for (const r of e.rows) {
      const id = /Echo \(ping\) request\s+id=(0x[0-9a-f]+)/.exec(r.info)?.[1];
      if (id && !arrived.has(id)) arrived.set(id, performance.now());
    }
  });
  while (net.captureView(lab.id, slow.id).state === 'starting') await sleep(100);
  await sleep(1000);
  const lags: number[] = [];
  for (let i = 0; i < 15; i++) {
    const before = arrived.size;
    await sh('node2', `ping -c 1 -W 1 ${addr('node1')} >/dev/null`);
    const sent = performance.now();
    while (arrived.size === before && performance.now() - sent < 5000) await sleep(5);
    if (arrived.size > before) lags.push([...arrived.values()].at(-1)! - sent);
    await sleep(300 + Math.random() * 700);
  }
  lags.sort((a, b) => a - b);
  console.log(`\n4. List latency at one ping a second (${lags.length} of 15 pings listed), load ${load()}`);
  console.log(`   ping → its row at a watcher: p50 ${ms(percentile(lags, 50))}, max ${ms(lags.at(-1) ?? Number.NaN)}`);
  await net.stopCapture(lab.id, slow.id);
  unwatchSlow();
  tty.stream.end('exit\n');
  term.dispose();
  server.close();
} finally {
  for (const l of [lab, neighbour]) await labs.destroy(l.id, 'bench over').catch(() => undefined);
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
