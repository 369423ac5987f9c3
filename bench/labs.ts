// npm run bench:labs [-- --runs 20 --claims 20 --fit 20]
// Cold create-to-ready of nodes-2 (p50/p95), warm-pool claim, destroy, memory per idle lab (container stats and
// the host's MemAvailable), and how many idle labs fit before the host is short of memory.
// Prints a table and rewrites the "Labs" section of BENCHMARKS.md (between its bench:labs markers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.ts';
import { setLogLevel } from '../lib/log.ts';
import { ensureImages } from '../lab-runner/images/ensure-images.ts';
import { memAvailableFromMeminfo } from '../lab-runner/lab/host-memory.ts';
import { createLabEngine, type LabEngineConfig } from '../lab-runner/lab/lab-engine.ts';
import { teardownByLabel } from '../lab-runner/lab/teardown-by-label.ts';
import type { ReadyLab } from '../lab-runner/lab/lab.ts';
import { Labels, POOL_LEARNER } from '../lab-runner/labels.ts';
import { SubnetAllocator } from '../lab-runner/nodes/subnet-allocator.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    claims: { type: 'string', default: '20' },
    fit: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(20, Number(values.runs));
const CLAIMS = Math.max(10, Number(values.claims));
const FIT = Math.max(5, Number(values.fit));
const TEMPLATE = 'nodes-2';
const BENCH_FILE = path.resolve('BENCHMARKS.md');
const START = '<!-- bench:labs:start -->';
const END = '<!-- bench:labs:end -->';

setLogLevel('warn');
const say = (line: string) => process.stdout.write(`${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const memAvailable = () => memAvailableFromMeminfo(fs.readFileSync('/proc/meminfo', 'utf8')) ?? os.freemem();

/** Local engine only: proportional memory of each container's containerd-shim, by container id. */
function shimPssByContainer(): Map<string, number> {
  const found = new Map<string, number>();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmd[0]?.includes('containerd-shim')) continue;
      const id = cmd[cmd.indexOf('-id') + 1];
      const pss = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (id && pss) found.set(id, Number(pss[1]) * 1024);
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-labs-'));
const base = loadConfig();
const config: LabEngineConfig = { ...base, DATA_DIR: dataDir, WARM_POOL: { [TEMPLATE]: 1 }, LAB_MAX_TOTAL: 5000, LAB_MAX_PER_LEARNER: 5000 };
const engine = createLabEngine(config);
const { runtime, labs, pool, store } = engine;

async function cleanup(): Promise<void> {
  await pool.stop();
  await teardownByLabel(runtime, { [Labels.storeId]: store.storeId });
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

try {
  await runtime.ping();
  await ensureImages(runtime, { runtimes: ['nodes'], onProgress: (l) => say(`[images] ${l}`) });
  const info = await runtime.info();

  // 1. Cold create-to-ready and destroy, one lab at a time.
  say(`cold: ${RUNS} × create ${TEMPLATE} (no pool) + destroy`);
  const cold: number[] = [];
  const destroy: number[] = [];
  // One unmeasured run warms Docker's caches (image layers, network driver) like a server that has been up a while.
  await labs.destroy((await labs.create({ template: TEMPLATE, learnerId: 'warmup', usePool: false })).id, 'bench');
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const lab = await labs.create({ template: TEMPLATE, learnerId: `cold-${i}`, usePool: false });
    cold.push(performance.now() - t0);
    const t1 = performance.now();
    await labs.destroy(lab.id, 'bench');
    destroy.push(performance.now() - t1);
  }

  // 2. Warm-pool claims: the pool refills between claims, so every claim finds a ready lab.
  say(`warm: ${CLAIMS} × claim from a pool of 1`);
  const claim: number[] = [];
  let fromPool = 0;
  for (let i = 0; i < CLAIMS; i++) {
    pool.refill(TEMPLATE);
    await pool.settled();
    const warm = new Set((await store.list({ learnerId: POOL_LEARNER, template: TEMPLATE, states: ['ready'] })).map((l) => l.id));
    const t0 = performance.now();
    const lab = await labs.create({ template: TEMPLATE, learnerId: `warm-${i}` });
    claim.push(performance.now() - t0);
    if (warm.has(lab.id)) fromPool++;
    await labs.destroy(lab.id, 'bench');
  }
  await pool.stop();
  await teardownByLabel(runtime, { [Labels.storeId]: store.storeId });

  // 3. Idle labs: memory from container stats, and what the host really gives up (MemAvailable before/after).
  say(`idle: ${FIT} × ${TEMPLATE} held idle`);
  const held: ReadyLab[] = [];
  for (let i = 0; i < FIT; i++) held.push(await labs.create({ template: TEMPLATE, learnerId: `idle-${i}`, usePool: false }));
  await new Promise((r) => setTimeout(r, 3000)); // let the nodes go idle before reading memory
  const shims = shimPssByContainer();
  const perLabStats: number[] = [];
  const perLabHost: number[] = [];
  for (const lab of held) {
    const stats = await Promise.all(lab.targets.map((t) => runtime.stats(t.containerId)));
    const containers = stats.reduce((s, x) => s + x.memoryBytes, 0);
    perLabStats.push(containers);
    perLabHost.push(containers + lab.targets.reduce((s, t) => s + (shims.get(t.containerId) ?? 0), 0));
  }
  const hostPerLab = perLabHost.reduce((a, b) => a + b, 0) / perLabHost.length;
  const shimsFound = held.every((l) => l.targets.every((t) => shims.has(t.containerId)));
  for (const lab of held) await labs.destroy(lab.id, 'bench');
  const reserve = config.LAB_MIN_FREE_MEMORY_MB * 1024 * 1024;
  const availableNow = memAvailable();
  const fitByMemory = Math.floor((availableNow - reserve) / Math.max(hostPerLab, 1));
  const subnetCapacity = config.LAB_SUBNET_POOL === 'docker' ? 30 : new SubnetAllocator(runtime, config.LAB_SUBNET_POOL, config.LAB_SUBNET_PREFIX).capacity;

  const statMean = perLabStats.reduce((a, b) => a + b, 0) / perLabStats.length;
  const rows: [string, string, string, string][] = [
    [
      `Cold create-to-ready, ${TEMPLATE} (${RUNS} runs)`,
      `p50 ${ms(pct(cold, 50))}, p95 ${ms(pct(cold, 95))}, max ${ms(Math.max(...cold))}`,
      'p50 < 1.5 s',
      pct(cold, 50) < 1500 ? 'yes' : '**no**',
    ],
    [
      `Warm-pool claim (${CLAIMS} claims, ${fromPool} from the pool)`,
      `p50 ${ms(pct(claim, 50))}, p95 ${ms(pct(claim, 95))}`,
      'p50 < 100 ms',
      pct(claim, 50) < 100 && fromPool === CLAIMS ? 'yes' : '**no**',
    ],
    [`Destroy (${RUNS} runs)`, `p50 ${ms(pct(destroy, 50))}, p95 ${ms(pct(destroy, 95))}`, '—', '—'],
    [
      `Memory per idle lab, container stats (${FIT} labs, 2 nodes each)`,
      `mean ${mib(statMean)}, max ${mib(Math.max(...perLabStats))}`,
      '< 30 MB',
      statMean < 30e6 ? 'yes' : '**no**',
    ],
    [
      `Host memory per idle lab (containers + their containerd-shim PSS)`,
      shimsFound ? `mean ${mib(hostPerLab)}` : 'shims not visible (remote engine)',
      '—',
      '—',
    ],
    [
      'Idle labs that fit before memory is short',
      `≈ ${fitByMemory.toLocaleString('en')} by memory alone (${mib(availableNow)} available − ${config.LAB_MIN_FREE_MEMORY_MB} MiB reserve; an estimate from ${FIT} labs held at once). Other limits: LAB_SUBNET_POOL ${subnetCapacity.toLocaleString('en')} networks, LAB_MAX_TOTAL ${base.LAB_MAX_TOTAL}, CPU`,
      '—',
      '—',
    ],
  ];

  const osName = /PRETTY_NAME="([^"]+)"/.exec(fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '')?.[1] ?? os.type();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${osName}, Docker ${info.serverVersion} (cgroup v${info.cgroupVersion}), Node ${process.version}`;
  const load = `load average ${os.loadavg()[0]!.toFixed(1)} at the end (a shared machine: other work competes for the 2 cores)`;
  const table = ['| Measure | Result | Target | Met |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  say(`\n${table}\n\n${machine}; ${load}`);

  const section = [
    START,
    '## Labs (`npm run bench:labs`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${load}.`,
    '',
    table,
    '',
    'How: a real lab engine (Docker + SQLite in a temporary DATA_DIR). Cold = `labs.create({ usePool: false })` until both nodes answer',
    'the readiness probe (network, two containers created and started concurrently, exec probe); one unmeasured warm-up run first.',
    'Warm = `labs.create()` with a ready pool lab waiting (one store transaction plus a liveness inspect of each node); the pool',
    'refills between claims. Memory: container stats (usage minus inactive page cache, like `docker stats`) summed over a',
    "lab's nodes; the host figure adds each container's containerd-shim (proportional set size, shared pages split), which",
    "Docker's stats do not show. (The drop in MemAvailable is too noisy on a shared machine to resolve a few MiB per lab.)",
    'The fit estimate divides MemAvailable by the host figure and keeps LAB_MIN_FREE_MEMORY_MB in reserve.',
    END,
  ].join('\n');
  if (!values['no-write']) {
    const text = fs.existsSync(BENCH_FILE) ? fs.readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
    const i = text.indexOf(START);
    const j = text.indexOf(END);
    const next = i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + END.length) : text.replace(/^# Benchmarks\n/, `# Benchmarks\n\n${section}\n`);
    fs.writeFileSync(BENCH_FILE, next.includes(START) ? next : `${text.trimEnd()}\n\n${section}\n`);
    say(`updated the Labs section of ${BENCH_FILE}`);
  }
} finally {
  await cleanup();
}
