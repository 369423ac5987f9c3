// Child process of bench/classroom.ts, alone in its process so its CPU and memory are its own. Two parts:
//  grid:  the real Classroom service on a real SQLite file (DATA_DIR in a temp dir) with 100 learner accounts in one
//         class of the reference lesson; the dashboard stream served over HTTP (the SSE framing the route uses).
//         Learners are SIMULATED: no labs or containers; their grader views (the ones the real grader hands to its
//         observers) are generated on the parent's command, so the path measured is view -> task activity (SQLite)
//         -> cell -> hub -> SSE -> trainer.
//  watch: the real terminal gateway with real `docker exec` shells (tests/integration/terminal/terminal-harness.ts);
//         10 terminals, each with a read-only watcher (TerminalSession.watch, as the watch route uses it) streamed over
//         HTTP as base64 SSE events, like the route does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../lib/config.ts';
import { setLogLevel } from '../lib/log.ts';
import { openDatabase } from '../lab-runner/store/database.ts';
import { Classroom } from '../lab-runner/classroom/classroom.ts';
import type { ChallengeView } from '../lab-runner/wire/challenge.ts';
import { contentLessonChallenges } from '../course/challenge/lesson-challenges.ts';
import { SqliteProgressStore } from '../lab-runner/store/progress-store-sqlite.ts';
import { startTerminalHarness, type TerminalHarness } from '../tests/integration/terminal/terminal-harness.ts';

setLogLevel('warn');
const LESSON = 'pods/pods-and-network-namespaces';
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? '100');
const dataDir = mkdtempSync(path.join(tmpdir(), 'pw-bench-classroom-'));
const db = openDatabase(dataDir);
const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, AUTH: 'accounts', LOG_LEVEL: 'warn' });

// The grader's observer seam, driven by the parent instead of check scripts.
const observers = new Set<(learnerId: string, view: ChallengeView) => void>();
const notInBench = async (): Promise<never> => {
  throw new Error('not used by the grid benchmark');
};
const lessons = contentLessonChallenges(path.resolve('content'));
const lesson = (await lessons.get(LESSON))!;
const classroom = new Classroom({
  config,
  db,
  labs: { list: async () => [], get: async () => undefined, create: notInBench },
  lifecycle: { reset: notInBench },
  store: { extendExpiry: notInBench },
  grader: { observe: (o) => (observers.add(o), () => observers.delete(o)), prepareLab: notInBench },
  terminals: { session: () => undefined },
  lessons,
  progress: new SqliteProgressStore(db),
});
const trainer = classroom.accounts.create({ email: 'trainer@bench.test', name: 'Trainer', role: 'trainer' });
const klass = await classroom.createClass(trainer, {
  name: 'bench',
  lessons: [LESSON],
  startsAt: Date.now(),
  endsAt: Date.now() + 3_600_000,
  capacity: LEARNERS,
  prewarm: false,
});
const learners = Array.from({ length: LEARNERS }, (_, i) => {
  const a = classroom.accounts.create({ email: `l${i}@bench.test`, name: `Learner ${i}`, role: 'learner' });
  classroom.join(a, { token: klass.enrollToken });
  return a;
});

/** One learner's page got a new view: task `t` now fails with a new message (or passes). */
function emitView(i: number, taskIndex: number, answer: number, passed: boolean): void {
  const learner = learners[i]!;
  const now = Date.now();
  const view = {
    lesson: LESSON,
    labId: `bench-lab-${i}`,
    setup: 'done',
    tasks: lesson.challenge.tasks.map((t, j) => ({
      id: t.id,
      title: t.title,
      descriptionHtml: '',
      status: j === taskIndex ? (passed ? 'passed' : 'failed') : 'pending',
      needs: [],
      blockedBy: [],
      ...(j === taskIndex && !passed ? { verdict: { outcome: 'failed', summary: `wrong answer ${answer}`, failLines: [] } } : {}),
      ...(j === taskIndex && passed ? { passedAt: now } : {}),
      hintsTotal: t.hints.length,
      hintsHtml: [],
      solutionRevealed: false,
    })),
    progress: { passed: 0, total: lesson.challenge.tasks.length },
    checking: false,
    serverNow: now,
  } as ChallengeView;
  for (const o of observers) o(learner.learnerId, view);
}

// HTTP: the dashboard stream and the terminal watchers, framed as the routes frame them.
let harness: TerminalHarness | undefined;
const sseHead = { 'content-type': 'text/event-stream', 'cache-control': 'no-store' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/dashboard') {
    res.writeHead(200, sseHead);
    void classroom
      .watchDashboard(trainer, klass.id, (e) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`))
      .then((stop) => req.on('close', stop));
    return;
  }
  if (url.pathname === '/watch' && harness) {
    const session = harness.gateway.session(url.searchParams.get('lab')!, url.searchParams.get('target')!);
    if (!session) return void res.writeHead(404).end();
    res.writeHead(200, sseHead);
    void session
      .watch(
        (chunk) => res.write(`event: output\ndata: ${JSON.stringify({ type: 'output', data: chunk.toString('base64') })}\n\n`),
        () => res.end(),
      )
      .then((w) => {
        res.write(`event: screen\ndata: ${JSON.stringify({ type: 'screen', screen: w.screen, cols: w.cols, rows: w.rows })}\n\n`);
        req.on('close', w.stop);
      });
    return;
  }
  res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

let cpuMark = process.cpuUsage();
let timeMark = performance.now();

process.on('message', (m: { type: string; i?: number; task?: number; answer?: number; passed?: boolean }) => {
  if (m.type === 'change') emitView(m.i!, m.task!, m.answer!, m.passed!);
  else if (m.type === 'cpu-mark') {
    cpuMark = process.cpuUsage();
    timeMark = performance.now();
    process.send!({ type: 'cpu-mark' });
  } else if (m.type === 'stats') {
    const used = process.cpuUsage(cpuMark);
    process.send!({
      type: 'stats',
      cpuMs: (used.user + used.system) / 1000,
      wallMs: performance.now() - timeMark,
      rss: process.memoryUsage().rss,
      heapUsed: process.memoryUsage().heapUsed,
    });
  } else if (m.type === 'start-terminals') {
    void startTerminalHarness({ graceMs: 60_000, heartbeatMs: 30_000, upgradesPerLearnerPerMinute: 10_000, failedUpgradesPerMinute: 10_000 }, 4).then((h) => {
      harness = h;
      process.send!({ type: 'terminals', wsBase: h.wsBase, origin: h.origin, ticketKey: h.ticketKey.toString('hex'), labId: h.labId, extraLabs: h.extraLabs });
    });
  } else if (m.type === 'close') {
    classroom.close();
    void (harness?.close() ?? Promise.resolve()).then(() => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});

process.send!({
  type: 'ready',
  base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  learners: learners.map((l) => l.id),
  tasks: lesson.challenge.tasks.map((t) => t.id),
});
