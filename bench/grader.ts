// `npm run bench:grader`: how fast a lab change turns a task green, and what continuous checking costs.
//   1. change -> green, default interval (GRADER_INTERVAL=3s, jittered): a file appears in the lab at a random moment;
//      time until a Server-Sent Event with the task "passed" reaches an HTTP client on loopback. Target < 4 s.
//   2. change -> green after a Check click: the change, then POST /check; time until its answer.  Target < 300 ms.
//   3. CPU of continuous checking for one open lesson (the reference lesson, 5 tasks, nothing solved = the most checks
//      per round): this process and the lab containers' cgroups exactly; the daemons' share as the exec rate times their
//      CPU per exec plus the check-channel round rate times their CPU per channel round (each measured over a burst
//      against idle windows of the same length).
//      The same windows again with a grader without check channels (one exec per target and round, as before them).
//      Target < 2% of one core.
//      The same windows once more with instant feedback (grader/command-trigger.ts): the learner types a command in a
//      real terminal shell every 10 s instead of only touching the lab; finished commands trigger rounds.
//   4. change -> green with the prompt trigger: the change is a command typed in a real terminal shell (a PTY exec);
//      the command watcher sees the prompt come back and the trigger asks for a round, no Check click.
//      Targets p50 < 500 ms, p99 < 1.5 s.
// The lab is real (Docker containers on an internal network, real exec); the HTTP layer is a minimal SSE server using
// the same event encoding as app/api/challenge/stream. Prints a table and rewrites the "Grader" section of BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setLogLevel } from '../lib/log.ts';
import { loadChallengeOrThrow, parseChallenge } from '../course/challenge/challenge-loader.ts';
import type { ChallengeView } from '../lab-runner/wire/challenge.ts';
import type { BatchItem } from '../lab-runner/grader/check-batch.ts';
import { CheckChannels } from '../lab-runner/grader/check-channel.ts';
import { Grader } from '../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../course/challenge/lesson-challenges.ts';
import { CheckTrigger, CommandWatcher } from '../lab-runner/grader/command-trigger.ts';
import { shellCommand, shellEnv } from '../lab-runner/terminal/shell-command.ts';
import { openDatabase } from '../lab-runner/store/database.ts';
import { SqliteProgressStore } from '../lab-runner/store/progress-store-sqlite.ts';
import { startGraderLab } from '../tests/integration/grader/grader-lab.ts';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '12' },
    'cpu-seconds': { type: 'string', default: '30' },
    interval: { type: 'string', default: '3000' },
    'no-write': { type: 'boolean', default: false },
  },
});
const TRIALS = Number(values.trials);
const CPU_SECONDS = Number(values['cpu-seconds']);
const INTERVAL_MS = Number(values.interval);
const BENCH_FILE = path.resolve('BENCHMARKS.md');
const START = '<!-- bench:grader:start -->';
const END = '<!-- bench:grader:end -->';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
setLogLevel('warn');

const loadAtStart = os.loadavg()[0]!;
const lab = await startGraderLab({ template: 'nodes-2' });
const db = openDatabase(await mkdtemp(path.join(os.tmpdir(), 'pw-bench-grader-')));
const progress = new SqliteProgressStore(db);

// A five-task challenge where only the first task is ever solved in a trial: the others keep failing, so every
// round runs five real checks, as in a freshly opened lesson. Each trial's checks read its own files.
function trialChallenge(trial: number) {
  const tasksYaml = Array.from(
    { length: 5 },
    (_, i) => `
  - id: t${i}
    title: t${i}
    description: d
    target: node1
    check: '[ -e /tmp/bench-${trial}-${i} ] || fail "missing"'
    solution: {text: t, script: 'true'}`,
  ).join('');
  const parsed = parseChallenge(`tasks:${tasksYaml}`, 'bench.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.challenge;
}
const reference = await loadChallengeOrThrow('content/01-pods/01-pods-and-network-namespaces/challenge.yaml');
const lessons = new Map<string, LessonChallenge>();
const lessonFor = (id: string, challenge: LessonChallenge['challenge']): LessonChallenge => {
  let l = lessons.get(id);
  if (!l) lessons.set(id, (l = { lesson: id, title: id, href: '', sandbox: 'nodes-2', challengeFile: 'bench.yaml', challenge }));
  return l;
};

/** The lab as the grader sees it, counting every exec (one-shot checks, fallbacks, kills) and check channel opened. */
function countingLabs(channels: boolean) {
  const counts = { execs: 0, streams: 0 };
  const labs = {
    exec: (...a: Parameters<typeof lab.labs.exec>) => {
      counts.execs++;
      return lab.labs.exec(...a);
    },
    get: lab.labs.get,
    ...(channels
      ? {
          execStream: (...a: Parameters<typeof lab.labs.execStream>) => {
            counts.streams++;
            return lab.labs.execStream(...a);
          },
        }
      : {}),
  };
  return { labs, counts };
}
const lessonSource = { get: async (id: string) => lessons.get(id), list: async () => [...lessons.values()] };
const main = countingLabs(true);
const grader = new Grader({ labs: main.labs, progress, lessons: lessonSource, intervalMs: INTERVAL_MS });
let trigger = new CheckTrigger({ run: (labId) => grader.commandFinished(labId) });

/** A learner's terminal: a real PTY shell on node1 whose bytes go through the same CommandWatcher as the gateway's. */
async function openTypist(onDone: () => void) {
  const exec = await lab.runtime.execTty(lab.containers.get('node1')!, { cmd: shellCommand(), env: shellEnv('bench-typist'), cols: 120, rows: 30 });
  const watcher = new CommandWatcher({ onDone: () => onDone() });
  let out = '';
  exec.stream.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString('latin1')).slice(-200);
    watcher.output(chunk);
  });
  const prompt = async () => {
    for (let i = 0; i < 200 && !/[#$] $/.test(out.replace(/\x1b\[[0-9;]*m/g, '')); i++) await sleep(25);
  };
  await prompt();
  return {
    type(line: string) {
      out = '';
      const bytes = Buffer.from(`${line}\r`);
      watcher.input(bytes);
      exec.stream.write(bytes);
    },
    prompt,
    close() {
      watcher.dispose();
      exec.stream.end('exit\r');
      exec.stream.destroy();
    },
  };
}

/** A lab belongs to one lesson at a time (Grader.prepareLab): each trial's lesson starts on a "reset" lab. */
async function startLesson(lesson: LessonChallenge): Promise<void> {
  await grader.labReset(lab.labId);
  await grader.prepareLab(lab.labId, lesson.lesson);
}

// Minimal SSE endpoint: same encoding as the route handler.
const server = http.createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  const lesson = url.searchParams.get('lesson')!;
  if (url.pathname === '/check') {
    void grader.checkNow({ labId: lab.labId, lesson, learnerId: lab.learnerId }).then((v) => res.end(JSON.stringify(v)));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  void grader
    .watch({ labId: lab.labId, lesson, learnerId: lab.learnerId }, (v) => res.write(`event: state\ndata: ${JSON.stringify(v)}\n\n`))
    .then((stop) => req.on('close', stop));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Subscribe over HTTP; resolves with the time a view matching `pred` arrived. */
function waitForEvent(lesson: string, pred: (v: ChallengeView) => boolean, ready: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/stream?lesson=${encodeURIComponent(lesson)}`, (res) => {
      let buf = '';
      let first = true;
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const view = JSON.parse(data.slice(6)) as ChallengeView;
          if (first) {
            first = false;
            ready();
          }
          if (pred(view)) {
            const at = performance.now();
            req.destroy();
            resolve(at);
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// 1. change -> green, continuous checking.
const continuous: number[] = [];
for (let i = 0; i < TRIALS; i++) {
  const trial = i;
  const lesson = `bench/continuous-${i}`;
  await startLesson(lessonFor(lesson, trialChallenge(trial)));
  let subscribed!: () => void;
  const isReady = new Promise<void>((r) => (subscribed = r));
  const green = waitForEvent(
    lesson,
    (v) => v.tasks[0]!.status === 'passed',
    () => subscribed(),
  );
  await isReady;
  await sleep(500 + Math.random() * INTERVAL_MS); // a random phase of the checking cycle
  lab.lastActiveAt = new Date(); // the learner is typing (the terminal touches the lab)
  const t0 = performance.now();
  await lab.sh('node1', `touch /tmp/bench-${trial}-0`);
  continuous.push((await green) - t0);
  process.stdout.write(`  change -> green (continuous) #${i + 1}: ${Math.round(continuous.at(-1)!)} ms\n`);
}

// 2. change -> green after a Check click (HTTP POST, answer carries the view).
const clicked: number[] = [];
for (let i = 0; i < TRIALS; i++) {
  const trial = 1000 + i;
  const lesson = `bench/click-${i}`;
  await startLesson(lessonFor(lesson, trialChallenge(trial)));
  // The page is open (its stream ran a first round, so the lab's check channel is open), then the learner acts.
  await grader.checkNow({ labId: lab.labId, lesson, learnerId: lab.learnerId });
  await lab.sh('node1', `touch /tmp/bench-${trial}-0`);
  const t0 = performance.now();
  const view = await new Promise<ChallengeView>((resolve, reject) =>
    http
      .get(`${base}/check?lesson=${encodeURIComponent(lesson)}`, (res) => {
        let s = '';
        res.on('data', (d) => (s += d));
        res.on('end', () => resolve(JSON.parse(s) as ChallengeView));
      })
      .on('error', reject),
  );
  if (view.tasks[0]!.status !== 'passed') throw new Error('check click did not pass the task');
  clicked.push(performance.now() - t0);
}

// 4. change -> green with the prompt trigger: the change is a command typed in a terminal; no Check click.
const typist = await openTypist(() => trigger.commandDone({ labId: lab.labId }));
const prompted: number[] = [];
for (let i = 0; i < TRIALS; i++) {
  const trial = 2000 + i;
  const lesson = `bench/prompt-${i}`;
  await startLesson(lessonFor(lesson, trialChallenge(trial)));
  let subscribed!: () => void;
  const isReady = new Promise<void>((r) => (subscribed = r));
  const green = waitForEvent(
    lesson,
    (v) => v.tasks[0]!.status === 'passed',
    () => subscribed(),
  );
  await isReady;
  await sleep(500 + Math.random() * INTERVAL_MS); // a random phase of the periodic cycle, as above
  lab.lastActiveAt = new Date();
  const t0 = performance.now();
  typist.type(`touch /tmp/bench-${trial}-0`);
  prompted.push((await green) - t0);
  await typist.prompt();
  process.stdout.write(`  change -> green (prompt trigger) #${i + 1}: ${Math.round(prompted.at(-1)!)} ms\n`);
}

// 3. CPU of one open lesson, continuously checked (the reference lesson, nothing solved).
function pidsOf(names: string[]): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        return names.some((n) => comm === n || comm.startsWith(n));
      } catch {
        return false;
      }
    });
}
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
function procCpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICK; // utime + stime
  } catch {
    return 0;
  }
}
function cgroupCpuMs(containerId: string): number {
  for (const p of [`/sys/fs/cgroup/cpuacct/docker/${containerId}/cpuacct.usage`, `/sys/fs/cgroup/system.slice/docker-${containerId}.scope/cpu.stat`]) {
    if (!existsSync(p)) continue;
    const text = readFileSync(p, 'utf8');
    if (p.endsWith('cpuacct.usage')) return Number(text.trim()) / 1e6;
    const m = /usage_usec (\d+)/.exec(text);
    if (m) return Number(m[1]) / 1000;
  }
  return NaN;
}
const daemons = pidsOf(['dockerd', 'containerd']);
function sampleCpu(): { self: number; daemons: number; lab: number } {
  const u = process.cpuUsage();
  return {
    self: (u.user + u.system) / 1000,
    daemons: daemons.reduce((n, p) => n + procCpuMs(p), 0) + pidsOf(['containerd-shim']).reduce((n, p) => n + procCpuMs(p), 0),
    lab: [...lab.containers.values()].reduce((n, id) => n + cgroupCpuMs(id), 0),
  };
}
async function measure(seconds: number): Promise<{ self: number; daemons: number; lab: number; wallMs: number }> {
  const a = sampleCpu();
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const b = sampleCpu();
  return { self: b.self - a.self, daemons: b.daemons - a.daemons, lab: b.lab - a.lab, wallMs: performance.now() - t0 };
}
// 3a. What one exec costs the Docker daemons: a burst of no-op execs against an idle window of the same length.
//     (The daemons are shared with everything else on the machine; a burst amortises that noise over many execs.)
const BURST = 60;
const burstStart = sampleCpu();
const b0 = performance.now();
for (let i = 0; i < BURST; i++) await lab.labs.exec(lab.labId, 'node1', { cmd: ['true'], timeoutMs: 10_000 });
const burstMs = performance.now() - b0;
const burstEnd = sampleCpu();
const idleBurst = await measure(burstMs / 1000);
const perExecDaemonMs = Math.max(0, (burstEnd.daemons - burstStart.daemons - idleBurst.daemons) / BURST);
// 3a'. What one check-channel round costs the daemons (stdin and stdout through dockerd and the shim). A round moves
//      a few KB, so its cost is small next to the noise of daemons shared with other work: five bursts of rounds
//      carrying the reference lesson's first-round scripts (each check exits at once, so a burst is mostly traffic),
//      each against an idle window of the same length, and the median.
const firstRound: BatchItem[] = reference.tasks
  .filter((t) => t.needs.length === 0 && t.target === 'node1')
  .map((t) => ({ key: t.id, script: `exit 0\n${t.check}`, timeoutMs: t.timeout, env: { PW_TASK_ID: t.id } }));
const burstChannels = new CheckChannels({ exec: lab.labs.exec, execStream: lab.labs.execStream });
await burstChannels.run(lab.labId, 'node1', firstRound); // open the channel outside the measured bursts
const ROUND_BURST = 150;
const perRoundSamples: number[] = [];
const frameworkLabSamples: number[] = [];
for (let k = 0; k < 5; k++) {
  const start = sampleCpu();
  const t0 = performance.now();
  for (let i = 0; i < ROUND_BURST; i++) await burstChannels.run(lab.labId, 'node1', firstRound);
  const wall = performance.now() - t0;
  const end = sampleCpu();
  const idle = await measure(wall / 1000);
  perRoundSamples.push((end.daemons - start.daemons - idle.daemons) / ROUND_BURST);
  frameworkLabSamples.push((end.lab - start.lab) / ROUND_BURST / firstRound.length);
}
await burstChannels.close();
const perRoundDaemonMs = Math.max(0, pct(perRoundSamples, 50));
/** The batch's own machinery per check in the lab (checks that exit at once): one forked subshell (coproc) per check. */
const frameworkLabMsPerCheck = pct(frameworkLabSamples, 50);
// 3b. One open lesson for CPU_SECONDS per mode: the grader process and the lab's cgroups are measured exactly; the
//     daemons' share is modelled from the exec and channel-round rates. The same windows are then run with a grader
//     without check channels (one exec per target and round, as before them), on the same lab, for comparison.
const share = (ms: number, wall: number) => (ms / wall) * 100;
async function cpuWindows(g: Grader, counts: { execs: number; streams: number }, typing?: Awaited<ReturnType<typeof openTypist>>) {
  const refKey = { labId: lab.labId, lesson: 'bench/reference', learnerId: lab.learnerId };
  await g.prepareLab(lab.labId, refKey.lesson); // setup ran once, for the first grader; its record is in the store
  const stop = await g.watch(refKey, () => {});
  await sleep(1000);
  const channelRounds = () => (g.channels ? g.channels.stats.rounds : 0);
  const window = async (active: boolean) => {
    // Active: the terminal touches the lab every 10 s as the learner types. Idle: last activity long ago.
    // With instant feedback on, the learner's activity is a command typed every 10 s (which touches the lab too).
    const toucher = active
      ? setInterval(() => {
          lab.lastActiveAt = new Date();
          typing?.type('ls / >/dev/null');
        }, 10_000)
      : undefined;
    lab.lastActiveAt = active ? new Date() : new Date(Date.now() - 3_600_000);
    await sleep(INTERVAL_MS * 2); // settle into the mode
    const before = { ...counts, rounds: channelRounds() };
    const m = await measure(CPU_SECONDS);
    clearInterval(toucher);
    const perSecond = (n: number) => n / (m.wallMs / 1000);
    // A channel opened costs about what an exec costs.
    const execsPerSecond = perSecond(counts.execs - before.execs + counts.streams - before.streams);
    const roundsPerSecond = perSecond(channelRounds() - before.rounds);
    const parts = {
      labMsPerRound: channelRounds() - before.rounds > 0 ? m.lab / (channelRounds() - before.rounds) : NaN,
      self: share(m.self, m.wallMs),
      lab: share(m.lab, m.wallMs),
      daemons: (execsPerSecond * perExecDaemonMs + roundsPerSecond * perRoundDaemonMs) / 10,
      execsPerMinute: execsPerSecond * 60,
      roundsPerMinute: roundsPerSecond * 60,
    };
    return { ...parts, total: parts.self + parts.daemons + (Number.isNaN(parts.lab) ? 0 : parts.lab) };
  };
  const active = await window(true);
  const idle = await window(false);
  stop();
  return { active, idle };
}
await startLesson(lessonFor('bench/reference', reference));
const withChannels = await cpuWindows(grader, main.counts);
await grader.close();
trigger.close();
typist.close();
// 3c. The same windows with instant feedback on: a new grader, its trigger fed by a typist's terminal.
const triggered = countingLabs(true);
const triggerGrader = new Grader({ labs: triggered.labs, progress, lessons: lessonSource, intervalMs: INTERVAL_MS });
trigger = new CheckTrigger({ run: (labId) => triggerGrader.commandFinished(labId) });
const cpuTypist = await openTypist(() => trigger.commandDone({ labId: lab.labId }));
const withTrigger = await cpuWindows(triggerGrader, triggered.counts, cpuTypist);
cpuTypist.close();
trigger.close();
await triggerGrader.close();
const oneShot = countingLabs(false);
const oneShotGrader = new Grader({ labs: oneShot.labs, progress, lessons: lessonSource, intervalMs: INTERVAL_MS });
const withoutChannels = await cpuWindows(oneShotGrader, oneShot.counts);
await oneShotGrader.close();
server.close();
db.close();
await lab.close();

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const rows = [
  [
    'change → green, continuous (interval ' + fmt(INTERVAL_MS) + ' ±20%)',
    `mean ${fmt(mean(continuous))}, p50 ${fmt(pct(continuous, 50))}, max ${fmt(Math.max(...continuous))}`,
    '< 4 s',
    Math.max(...continuous) < 4000,
  ],
  [
    'change → green with the prompt trigger (a command typed in a terminal, no Check click)',
    `mean ${fmt(mean(prompted))}, p50 ${fmt(pct(prompted, 50))}, p99 ${fmt(pct(prompted, 99))}, max ${fmt(Math.max(...prompted))}`,
    'p50 < 500 ms, p99 < 1.5 s',
    pct(prompted, 50) < 500 && pct(prompted, 99) < 1500,
  ],
  [
    'change → green after a Check click',
    `mean ${fmt(mean(clicked))}, p50 ${fmt(pct(clicked, 50))}, max ${fmt(Math.max(...clicked))}`,
    '< 300 ms',
    pct(clicked, 50) < 300 && mean(clicked) < 300,
  ],
  ...(
    [
      ['learner active', withChannels.active, ''],
      ['learner idle (page open, no terminal input for 2 min)', withChannels.idle, ''],
      ['learner active', withoutChannels.active, ', without check channels (one exec per target and round)'],
      ['learner idle', withoutChannels.idle, ', without check channels'],
      ['learner active, typing a command every 10 s', withTrigger.active, ', instant feedback on (prompt trigger)'],
      ['learner idle', withTrigger.idle, ', instant feedback on (prompt trigger)'],
    ] as const
  ).map(
    ([what, c, how]) =>
      [
        `CPU of one open lesson, ${what} (reference lesson, nothing solved${how})`,
        `${c.total.toFixed(2)}% of one core (grader process ${c.self.toFixed(2)}%, checks in the lab ${Number.isNaN(c.lab) ? 'n/a' : c.lab.toFixed(2) + '%'}, dockerd+containerd ≈${c.daemons.toFixed(2)}% = ${c.execsPerMinute.toFixed(1)} execs/min × ${perExecDaemonMs.toFixed(1)} ms + ${c.roundsPerMinute.toFixed(0)} channel rounds/min × ${perRoundDaemonMs.toFixed(2)} ms)`,
        '< 2%',
        c.total < 2,
      ] as const,
  ),
] as const;
const table = [
  '| measure | result | target | met |',
  '| --- | --- | --- | --- |',
  ...rows.map(([m, r, t, ok]) => `| ${m} | ${r} | ${t} | ${ok ? 'yes' : 'no'} |`),
  '',
  '"met" is judged on the worst case for change → green (max), on p50 and p99 for the prompt trigger, and on the typical case (mean and p50) for a Check click.',
].join('\n');
process.stdout.write(`\n${table}\n`);
const cpus = os.cpus();
const section = `${START}
## Grader (\`npm run bench:grader\`)

${table}

Run ${new Date().toISOString().slice(0, 10)} on ${cpus.length}× ${cpus[0]?.model.trim() ?? 'cpu'}, load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end (Docker ${execFileSync('docker', ['version', '--format', '{{.Server.Version}}']).toString().trim()}), ${TRIALS} trials each, CPU over ${CPU_SECONDS} s per mode: the grader process and the lab containers' cgroups are measured exactly; the daemons' share is the exec rate times the daemons' CPU per exec (a burst of ${BURST} no-op execs against an idle window of the same length) plus the check-channel round rate times their CPU per round (the median of five bursts of ${ROUND_BURST} rounds carrying the reference lesson's first-round scripts, each against an idle window of the same length: a round is a few KB through dockerd and the shim, small next to the noise of daemons shared with other work, hence the repeats). A "round" is one target's share of a grading round: the reference lesson checks node1 and node2, so one grading round is two channel rounds. With check channels, "checks in the lab" is the checks' own processes, ${withChannels.active.labMsPerRound.toFixed(1)} ms of CPU per channel round in the active window; of that, the batch's own machinery is ${frameworkLabMsPerCheck.toFixed(1)} ms per check (one forked subshell per check, plus its share of the round's own subshell: measured with checks that exit at once; it was 11.2 ms when each check ran as subshell + GNU timeout + bash + cat + head, and the first channel version measured 3.11% active), the rest is what the lesson's checks run (ip, ss, grep…). The CPU share grows with the round rate (one round every interval plus the round's own time). The machine is shared with other work (other engineers' builds and tests): latencies include that contention.
How: a real two-node lab (containers on an internal network, real exec); "green in the browser" is measured up to the Server-Sent Event reaching an HTTP client on loopback (the page renders it in the next frame); a Check click is an HTTP request answered with the new view. Continuous checking waits one jittered interval between rounds, so the expected delay is about half an interval plus one round of checks. With instant feedback (the prompt trigger, lab-runner/grader/command-trigger.ts) the change is a command typed into a real PTY shell on node1 whose bytes pass through the gateway's CommandWatcher: the round starts when the prompt comes back, so change → green is one round of checks plus the event; the CPU rows "instant feedback on" type \`ls / >/dev/null\` every 10 s in that shell (the bench process reads the PTY, which is counted in "grader process"), and triggered rounds thin the periodic ones to every other. Their idle window starts less than a minute after the last command, so its periodic rounds are still thinned (4 rounds/min instead of 8): after a minute without commands the idle figure is today's.
${END}`;
if (!values['no-write']) {
  const text = existsSync(BENCH_FILE) ? readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
  const next = text.includes(START) ? text.replace(new RegExp(`${START}[\\s\\S]*?${END}`), section) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCH_FILE, next);
}
process.exit(0);
