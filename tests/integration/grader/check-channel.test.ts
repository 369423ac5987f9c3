// The grader's check channel on a real nodes-2 lab (real LabManager, real Docker, internal lab network): rounds cost
// no exec, checks see the same environment as before, scripts stay off the disk, a hung check is killed at its
// timeout, a learner who kills the channel never gets an error verdict, and destroying the lab ends the channel cleanly.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { ChallengeView } from '../../../lab-runner/wire/challenge.ts';
import { CHANNEL_PROCESS_NAME } from '../../../lab-runner/grader/check-channel.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';
import { makeTestEngine } from '../lab/lab-engine-fixture.ts';
import type { TestEngine } from '../lab/lab-engine-fixture.ts';

/** The Docker runtime with a counter on every kind of exec: what a round costs is counted, not assumed. */
function countingRuntime() {
  const inner = new DockerRuntime();
  const counts = { exec: 0, execStream: 0, execTty: 0 };
  const runtime = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (prop === 'exec' || prop === 'execStream' || prop === 'execTty')
        return (...a: unknown[]) => {
          counts[prop]++;
          return fn.apply(target, a);
        };
      return fn.bind(target);
    },
  }) as ContainerRuntime;
  return { runtime, counts };
}

const { runtime, counts } = countingRuntime();
let t: TestEngine;
let lab: ReadyLab;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  t = makeTestEngine({}, { runtime });
  lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: 'learner-channel-int-01', usePool: false });
});
afterAll(async () => {
  await t?.cleanup();
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
});

/** As the learner would: root in node1 (an exec of its own, counted separately by the tests that count). */
const sh = async (script: string) => (await t.engine.labs.exec(lab.id, 'node1', { cmd: ['bash', '-c', script], timeoutMs: 30_000 })).stdout;

/** Whether no check loop runs in node1 (polls a little: a loop ends on its stdin's EOF, a moment after close). */
async function loopsGone(): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if ((await sh(`ps -eo args | grep -c '^${CHANNEL_PROCESS_NAME}' || true`)) === '0\n') return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** A grader of its own (own progress database: one lesson per lab and store) for one challenge's tasks. */
async function gradeWith(tasksYaml: string, lessonId: string) {
  const r = parseChallenge(`tasks:\n${tasksYaml}`, 'challenge.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const lesson: LessonChallenge = { lesson: lessonId, title: 'L', href: '/l', sandbox: 'nodes-2', challengeFile: 'c', challenge: r.challenge };
  const db = openProgressDb(await mkdtemp(path.join(tmpdir(), 'pw-channel-int-')));
  const grader = new Grader({
    labs: t.engine.labs,
    progress: new SqliteProgressStore(db),
    lessons: { get: async () => lesson, list: async () => [lesson] },
    intervalMs: 60_000,
  });
  const key = { labId: lab.id, lesson: lessonId, learnerId: lab.learnerId };
  await grader.prepareLab(lab.id, lessonId);
  const statuses = (v: ChallengeView) => Object.fromEntries(v.tasks.map((x) => [x.id, x.status]));
  // A passed task shows no verdict; any other shows its last one (an 'error' verdict would show here).
  const outcomes = (v: ChallengeView) => Object.fromEntries(v.tasks.map((x) => [x.id, x.verdict?.outcome ?? x.status]));
  return {
    grader,
    key,
    check: () => grader.checkNow(key),
    statuses,
    outcomes,
    close: async () => {
      await grader.close();
      db.close();
    },
  };
}

const task = (id: string, check: string, extra = '') => `  - id: ${id}
    title: ${id}
    description: d
    target: node1
    check: ${JSON.stringify(check)}
    solution: {text: t, script: 'true'}
${extra}`;

describe('check channel on a real lab', () => {
  it('three rounds cost one exec; the loop is named in ps; checks see LANG=C.UTF-8 and no LC_ALL', async () => {
    const g = await gradeWith(
      task(
        'env',
        `[ "$LANG" = C.UTF-8 ] && [ -z "\${LC_ALL+set}" ] || fail "LANG=$LANG LC_ALL=\${LC_ALL-unset}"; s='größe ✓'; [ "\${#s}" = 7 ] || fail "\${#s} characters"`,
      ) + task('file', '[ -e /tmp/chan-file ] || fail "no /tmp/chan-file"'),
      'chan/env',
    );
    try {
      const before = { ...counts };
      const v1 = await g.check();
      const v2 = await g.check();
      const v3 = await g.check();
      expect({ exec: counts.exec - before.exec, execStream: counts.execStream - before.execStream }).toEqual({ exec: 0, execStream: 1 });
      for (const v of [v1, v2, v3]) expect(g.statuses(v)).toEqual({ env: 'passed', file: 'failed' });
      expect(v3.tasks[1]!.verdict?.summary).toBe('no /tmp/chan-file');
      const ps = await sh('ps -eo args');
      expect(ps).toMatch(new RegExp(`^${CHANNEL_PROCESS_NAME} -c # packetwalk grader: runs the challenge checks`, 'm'));
      await sh('touch /tmp/chan-file');
      expect(g.statuses(await g.check())).toEqual({ env: 'passed', file: 'passed' });
    } finally {
      await g.close();
    }
    // Closing the grader ends the loop (on the EOF of its stdin).
    expect(await loopsGone()).toBe(true);
  });

  it("a check script is not readable in the node: not on disk, not in argv or environ, not in the loop's memory after the round", async () => {
    const marker = `chan-secret-${Date.now()}`;
    const g = await gradeWith(task('secret', `# ${marker}\nsleep 3; exit 1`), 'chan/secret');
    // The probe rebuilds the marker from its reverse and feeds it to grep on a pipe, so its own argv never holds it.
    const probe = `m=$(printf %s ${[...marker].reverse().join('')} | rev)
      ps -eo args | grep -cF -f <(printf '%s\\n' "$m")
      cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -cF -f <(printf '%s\\n' "$m")
      grep -rIlF --exclude-dir=proc --exclude-dir=sys -f <(printf '%s\\n' "$m") / 2>/dev/null | wc -l`;
    try {
      const round = g.check();
      // Look while the check runs (it sleeps 3 s): wait until its sleep is there.
      for (let i = 0; i < 100 && !(await sh('ps -eo args')).includes('sleep 3'); i++) await new Promise((r) => setTimeout(r, 50));
      const during = (await sh(probe))
        .trim()
        .split('\n')
        .map((x) => Number(x.trim()));
      expect(during).toEqual([0, 0, 0]);
      expect(g.outcomes(await round)).toEqual({ secret: 'failed' });
      // Between rounds the loop holds no script: it never read one (each round's subshell reads its own, then exits).
      const mem = await sh(`m=$(printf %s ${[...marker].reverse().join('')} | rev)
        pid=$(pgrep -f '^${CHANNEL_PROCESS_NAME}' | head -1)
        M="$m" python3 -c '
import os, sys
pid = int(sys.argv[1]); hits = 0; control = 0
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
    for line in maps:
        a, b = (int(x, 16) for x in line.split()[0].split("-"))
        if "r" not in line.split()[1]: continue
        try:
            mem.seek(a); data = mem.read(b - a)
        except OSError: continue
        hits += data.count(os.environ["M"].encode()); control += data.count(b"packetwalk grader: runs")
print(pid, hits, control)' "$pid"`);
      const [pid, hits, control] = mem.trim().split(' ').map(Number);
      expect(pid).toBeGreaterThan(1);
      expect(control).toBeGreaterThan(0); // the probe can read the loop's memory (its own source is there)...
      expect(hits).toBe(0); // ...and no check script is
    } finally {
      await g.close();
    }
  });

  it('a check that hangs is killed at its timeout, with what it started; the next round works on the same channel', async () => {
    const g = await gradeWith(task('hang', 'echo "FAIL: still waiting"; (sleep 301 &); sleep 301', '    timeout: 1500ms\n') + task('ok', 'true'), 'chan/hang');
    try {
      const before = { ...counts };
      const v = await g.check();
      expect(g.outcomes(v)).toEqual({ hang: 'timeout', ok: 'passed' });
      expect(await sh('ps -eo args | grep -c "[s]leep 301" || true')).toBe('0\n');
      const again = await g.check();
      expect(g.outcomes(again)).toEqual({ hang: 'timeout', ok: 'passed' });
      expect(counts.execStream - before.execStream).toBe(1);
    } finally {
      await g.close();
    }
  });

  it('`pkill -9 -f packetwalk-checks` typed by the learner, between rounds or during one, never yields an error verdict', async () => {
    const g = await gradeWith(
      task('slow', 'sleep 2; [ -e /tmp/slow-ok ] || fail "no /tmp/slow-ok"', '    timeout: 10s\n') +
        task('quick', '[ -e /tmp/quick-ok ] || fail "no /tmp/quick-ok"'),
      'chan/pkill',
    );
    // The learner's terminal: an interactive bash on a TTY, as the browser terminal runs it.
    const tty = await t.engine.labs.execTty(lab.id, 'node1', { cmd: ['bash', '--norc', '-i'], cols: 120, rows: 30 });
    let screen = '';
    tty.stream.on('data', (b: Buffer) => (screen += b.toString('utf8')));
    let n = 0;
    const type = async (cmd: string) => {
      const done = `pk-${++n}-done`;
      tty.stream.write(`${cmd}; echo pk-${n}-$((0))done | tr -d 0\n`);
      for (let i = 0; i < 400 && !screen.includes(done); i++) await new Promise((r) => setTimeout(r, 25));
      expect(screen).toContain(done);
    };
    try {
      expect(g.outcomes(await g.check())).toEqual({ slow: 'failed', quick: 'failed' });
      await type('pkill -9 -f packetwalk-checks');
      expect(await loopsGone()).toBe(true);
      for (let i = 0; i < 200 && g.grader.channels!.size > 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(g.grader.channels!.size).toBe(0); // the grader saw its channel end
      await sh('touch /tmp/quick-ok');
      expect(g.outcomes(await g.check())).toEqual({ slow: 'failed', quick: 'passed' });
      expect(g.grader.channels!.stats).toMatchObject({ opened: 2, fallbacks: 0 }); // a fresh channel answered
      // During a round: the slow check is running when the learner kills the loop; the round is retried.
      await sh('touch /tmp/slow-ok');
      const round = g.check();
      for (let i = 0; i < 100 && !(await sh('ps -eo args')).includes('sleep 2'); i++) await new Promise((r) => setTimeout(r, 25));
      await type('pkill -9 -f packetwalk-checks');
      const v = await round;
      expect(g.outcomes(v)).toEqual({ slow: 'passed', quick: 'passed' });
      expect(g.grader.channels!.stats.fallbacks).toBe(1);
    } finally {
      tty.stream.write('exit\n');
      await g.close();
    }
  });

  it('destroying the lab ends the channel without unhandled errors', async () => {
    const g = await gradeWith(task('any', 'true'), 'chan/destroy');
    try {
      expect(g.outcomes(await g.check())).toEqual({ any: 'passed' });
      expect(g.grader.channels!.size).toBe(1);
      await t.engine.labs.destroy(lab.id, 'test');
      for (let i = 0; i < 200 && g.grader.channels!.size > 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(g.grader.channels!.size).toBe(0);
      // A round after the destroy reports the lab as gone (an error verdict is right here) and throws nothing.
      const v = await g.check();
      expect(v.tasks[0]!.status).toBe('passed'); // errors never change pass/fail
      expect(g.grader.channels!.size).toBe(0);
    } finally {
      await g.close();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(unhandled).toEqual([]);
  });
});
