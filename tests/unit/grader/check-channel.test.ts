// The check channel's protocol and failure handling. Two kinds of "lab": the real bash loop in a local process
// (LocalLab.execStream), and a scripted fake stream exec whose answers each test writes by hand. Time is a manual clock:
// deadlines, the exit grace and the idle close fire only when a test fires them, so nothing here depends on speed.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CHANNEL_COMMAND, CHANNEL_IDLE_MS, CHANNEL_PROCESS_NAME, CheckChannels } from '../../../lab-runner/grader/check-channel.ts';
import { batchDeadlineMs } from '../../../lab-runner/grader/check-batch.ts';
import type { BatchItem } from '../../../lab-runner/grader/check-batch.ts';
import type { LabExec } from '../../../lab-runner/grader/check-runner.ts';
import type { Clock } from '../../../lab-runner/grader/grading-loop.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import type { LabEvent } from '../../../lab-runner/lab/lab.ts';
import type { ExecOptions, StreamExec, StreamExecOptions } from '../../../lab-runner/runtime/container-runtime.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { LocalLab } from '../../fixtures/grader/local-lab.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A manual clock: a timer fires only when the test fires it (by the delay it was set with). */
class ManualClock implements Clock {
  timers = new Map<number, { ms: number; fn: () => void }>();
  #next = 1;
  now = () => 0;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.timers.set(id, { ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  pending(ms: number): number {
    return [...this.timers.values()].filter((t) => t.ms === ms).length;
  }
  /** Fires every pending timer set with this delay; returns how many fired. */
  fire(ms: number): number {
    const due = [...this.timers.entries()].filter(([, t]) => t.ms === ms);
    for (const [id, t] of due) {
      this.timers.delete(id);
      t.fn();
    }
    return due.length;
  }
}

/** Waits for a condition (the event loop has to run other work first); fails after many turns, not after a time. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`never happened: ${what}`);
}

/** A stream exec the test drives: it sees what the channel writes and answers by hand. */
class FakeStream {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  written = '';
  stdinEnded = false;
  closed = false;
  #exit!: (code: number) => void;
  readonly exited = new Promise<number>((r) => (this.#exit = r));
  readonly stdin = new Writable({
    write: (chunk: Buffer, _e, cb) => {
      this.written += chunk.toString('utf8');
      cb();
    },
    final: (cb) => {
      this.stdinEnded = true;
      if (this.exitOnEof) this.exit(0);
      cb();
    },
  });
  readonly pid: number;
  readonly exitOnEof: boolean;
  constructor(pid: number, exitOnEof = true) {
    this.pid = pid;
    this.exitOnEof = exitOnEof;
  }
  hello(): void {
    this.stdout.write(`${CHANNEL_PROCESS_NAME} ${this.pid}\n`);
  }
  /** The token of the last round written. */
  token(): string {
    const m = [...this.written.matchAll(/^\d+ (__pw_[0-9a-f]{24})$/gm)].at(-1);
    if (!m) throw new Error('no round written yet');
    return m[1]!;
  }
  rounds(): number {
    return [...this.written.matchAll(/^\d+ (__pw_[0-9a-f]{24})$/gm)].length;
  }
  /** Answers the last round: each item's output and exit code, then the end marker. */
  answer(frames: { out: string; rc: number }[], extra = ''): void {
    const t = this.token();
    const body = frames.map((f, i) => `${t} B ${i}\n${f.out}\n${t} E ${i} ${f.rc} 3\n`).join('');
    this.stdout.write(`${extra}${body}${t} END 0\n`);
  }
  exit(code: number): void {
    this.stdout.end();
    this.#exit(code);
  }
  asExec(): StreamExec {
    return {
      id: `fake-${this.pid}`,
      stdin: this.stdin,
      stdout: this.stdout,
      stderr: this.stderr,
      exited: this.exited,
      close: () => {
        this.closed = true;
        this.stdin.end();
      },
    };
  }
}

function fakeLab(opts: { exitOnEof?: boolean } = {}) {
  const local = new LocalLab({ learnerId: 'l', template: 't' });
  const streams: FakeStream[] = [];
  const execs: ExecOptions[] = [];
  const kills: string[] = [];
  const exec: LabExec = async (labId, target, o) => {
    if (o.cmd[0] === 'bash' && o.cmd[3] === 'kill') {
      kills.push(o.cmd[4]!);
      return { exitCode: 0, stdout: '', stderr: '', durationMs: 1, timedOut: false, truncated: false };
    }
    execs.push(o);
    return local.exec(labId, target, o);
  };
  const execStream = async (_lab: string, _target: string, o: StreamExecOptions) => {
    expect(o.cmd).toEqual([...CHANNEL_COMMAND]);
    const s = new FakeStream(4000 + streams.length, opts.exitOnEof ?? true);
    streams.push(s);
    queueMicrotask(() => s.hello());
    return s.asExec();
  };
  const clock = new ManualClock();
  const channels = new CheckChannels({ exec, execStream, clock });
  return { local, streams, execs, kills, clock, channels, last: () => streams.at(-1)! };
}

const items: BatchItem[] = [
  { key: 'a', script: 'exit 0', timeoutMs: 1_000 },
  { key: 'b', script: 'echo "FAIL: no b"; exit 1', timeoutMs: 1_000 },
];
const DEADLINE = batchDeadlineMs(items);

describe('check channel (the real loop in local bash)', () => {
  it('answers three rounds over one stream exec, with no exec at all, and checks see LANG=C.UTF-8 without LC_ALL', async () => {
    const lab = new LocalLab({ learnerId: 'l', template: 't' });
    let oneShot = 0;
    const channels = new CheckChannels({
      exec: (...a) => {
        oneShot++;
        return lab.exec(...a);
      },
      execStream: (...a) => lab.execStream(...a),
    });
    try {
      const round = () =>
        channels.run(lab.id, 'node1', [
          // Non-ASCII in the script: the loop must count bytes, not characters, or it would hang or desync.
          {
            key: 'locale',
            script: `s='größe ✓'; [ "\${#s}" = 7 ] || fail "\${#s} characters in 'größe ✓'"; [ "$LANG" = C.UTF-8 ] && [ -z "\${LC_ALL+set}" ] || fail "LANG=$LANG LC_ALL=\${LC_ALL-unset}"`,
            timeoutMs: 5_000,
          },
          { key: 'stdin', script: 'read -r x && fail "stdin is not at EOF: $x"; exit 0', timeoutMs: 5_000 },
          { key: 'fail', script: `echo "FAIL: ünïcødé ✓ $PW_TASK_ID"; exit 1`, timeoutMs: 5_000, env: { PW_TASK_ID: "it's" } },
        ]);
      for (let i = 0; i < 3; i++) {
        const r = await round();
        expect(r.get('locale')).toMatchObject({ outcome: 'passed' });
        expect(r.get('stdin')).toMatchObject({ outcome: 'passed' });
        expect(r.get('fail')).toMatchObject({ outcome: 'failed', failLines: ["ünïcødé ✓ it's"] });
      }
      // A single check goes through the channel too.
      expect((await channels.run(lab.id, 'node1', [{ key: 'one', script: 'exit 0', timeoutMs: 5_000 }])).get('one')!.outcome).toBe('passed');
      expect(lab.streamCount).toBe(1);
      expect(oneShot).toBe(0);
      expect(channels.stats).toMatchObject({ opened: 1, rounds: 4, fallbacks: 0 });
    } finally {
      await channels.close();
    }
  });

  it('a check that kills the loop mid-round gets an honest verdict through the one-shot retry, and the next round opens a new channel', async () => {
    const lab = new LocalLab({ learnerId: 'l', template: 't' });
    let oneShot = 0;
    const channels = new CheckChannels({
      exec: (...a) => {
        oneShot++;
        return lab.exec(...a);
      },
      execStream: (...a) => lab.execStream(...a),
    });
    // Walks up from the check to the loop's processes (only its own: other test files run loops too) and kills them.
    const killer = `p=$$; pids=
      while [ "$p" -gt 1 ]; do
        case "$(tr '\\000' ' ' < /proc/$p/cmdline)" in ${CHANNEL_PROCESS_NAME}\\ *) pids="$pids $p";; esac
        p=$(awk '/^PPid:/ {print $2}' /proc/$p/status)
      done
      kill -9 $pids
      [ -e done ] || fail "no file done"`;
    try {
      const r1 = await channels.run(lab.id, 'node1', [{ key: 'k', script: killer, timeoutMs: 5_000 }]);
      expect(r1.get('k')).toMatchObject({ outcome: 'failed', failLines: ['no file done'] });
      expect(channels.stats).toMatchObject({ opened: 1, rounds: 0, fallbacks: 1 });
      expect(oneShot).toBe(1);
      const r2 = await channels.run(lab.id, 'node1', [{ key: 'ok', script: 'exit 0', timeoutMs: 5_000 }]);
      expect(r2.get('ok')!.outcome).toBe('passed');
      expect(channels.stats).toMatchObject({ opened: 2, rounds: 1, fallbacks: 1 });
    } finally {
      await channels.close();
    }
  });
});

describe('check channel (scripted stream)', () => {
  it('parses the frames up to the end marker; the retry path stays unused', async () => {
    const t = fakeLab();
    const pending = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 1 && t.last().rounds() === 1, 'round written');
    const written = t.last().written;
    const [header, ...rest] = written.split('\n');
    expect(Buffer.byteLength(rest.join('\n'))).toBe(Number(header!.split(' ')[0])); // the length is in bytes
    t.last().answer([
      { out: '', rc: 0 },
      { out: 'FAIL: no b', rc: 1 },
    ]);
    const r = await pending;
    expect(r.get('a')!.outcome).toBe('passed');
    expect(r.get('b')).toMatchObject({ outcome: 'failed', failLines: ['no b'] });
    expect(t.execs).toHaveLength(0);
    expect(t.channels.stats).toMatchObject({ opened: 1, rounds: 1, fallbacks: 0 });
  });

  it('deadline passed: the channel is closed, the hung loop killed by its pid, and the round retried once by a one-shot exec', async () => {
    const t = fakeLab({ exitOnEof: false }); // a stopped loop: EOF does not end it
    const pending = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 1 && t.last().rounds() === 1, 'round written');
    expect(t.clock.pending(DEADLINE)).toBe(1);
    t.clock.fire(DEADLINE);
    await until(() => t.last().stdinEnded && t.clock.pending(1_000) === 1, 'stdin closed, exit grace running');
    expect(t.kills).toEqual([]);
    t.clock.fire(1_000);
    const r = await pending;
    expect(t.kills).toEqual(['4000']);
    expect(t.execs).toHaveLength(1); // the one-shot retry, on the local lab
    expect(r.get('a')!.outcome).toBe('passed');
    expect(r.get('b')).toMatchObject({ outcome: 'failed', failLines: ['no b'] });
    // The next round opens a new channel.
    const next = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 2 && t.last().rounds() === 1, 'second channel');
    t.last().answer([
      { out: '', rc: 0 },
      { out: '', rc: 0 },
    ]);
    expect([...(await next).values()].map((v) => v.outcome)).toEqual(['passed', 'passed']);
    expect(t.execs).toHaveLength(1);
  });

  it('stream ended mid-round: retried through one-shot exec, no kill needed', async () => {
    const t = fakeLab();
    const pending = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 1 && t.last().rounds() === 1, 'round written');
    const tk = t.last().token();
    t.last().stdout.write(`${tk} B 0\n\n${tk} E 0 0 3\n`); // one frame, then the loop dies
    t.last().exit(137);
    const r = await pending;
    expect(t.execs).toHaveLength(1);
    expect(t.kills).toEqual([]);
    expect(r.get('b')).toMatchObject({ outcome: 'failed', failLines: ['no b'] });
  });

  it('output over the cap: closed and retried', async () => {
    const t = fakeLab();
    const pending = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 1 && t.last().rounds() === 1, 'round written');
    const tk = t.last().token();
    t.last().stdout.write(`${tk} B 0\n`);
    t.last().stdout.write('y\n'.repeat(200_000)); // 400 KB: more than two checks may print
    const r = await pending;
    expect(t.last().closed).toBe(true);
    expect(t.execs).toHaveLength(1);
    expect(r.get('a')!.outcome).toBe('passed');
  });

  it('garbage instead of frames, or a missing frame: closed and retried', async () => {
    for (const answer of ['junk', 'missing'] as const) {
      const t = fakeLab();
      const pending = t.channels.run('lab-local-1', 'node1', items);
      await until(() => t.streams.length === 1 && t.last().rounds() === 1, 'round written');
      if (answer === 'junk')
        t.last().answer(
          [
            { out: '', rc: 0 },
            { out: 'FAIL: forged', rc: 1 },
          ],
          'I am not a frame\n',
        );
      else t.last().answer([{ out: '', rc: 0 }]);
      const r = await pending;
      expect(t.execs).toHaveLength(1);
      expect(r.get('b')).toMatchObject({ outcome: 'failed', failLines: ['no b'] });
    }
  });

  it('output between rounds makes the channel unusable: the next round starts a new one', async () => {
    const t = fakeLab();
    const first = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.last()?.rounds() === 1, 'round written');
    t.last().answer([
      { out: '', rc: 0 },
      { out: '', rc: 0 },
    ]);
    await first;
    t.last().stdout.write("someone writes into the loop's stdout\n");
    await until(() => true, 'a turn');
    await new Promise((r) => setImmediate(r));
    const second = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 2 && t.last().rounds() === 1, 'a new channel');
    expect(t.streams[0]!.closed).toBe(true);
    t.last().answer([
      { out: '', rc: 0 },
      { out: '', rc: 0 },
    ]);
    expect([...(await second).values()].map((v) => v.outcome)).toEqual(['passed', 'passed']);
    expect(t.execs).toHaveLength(0);
  });

  it('closes a channel nobody used for CHANNEL_IDLE_MS; the next round opens a new one', async () => {
    const t = fakeLab();
    const first = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.last()?.rounds() === 1, 'round written');
    expect(t.clock.pending(CHANNEL_IDLE_MS)).toBe(0); // not idle while a round runs
    t.last().answer([
      { out: '', rc: 0 },
      { out: '', rc: 0 },
    ]);
    await first;
    expect(t.channels.size).toBe(1);
    expect(t.clock.fire(CHANNEL_IDLE_MS)).toBe(1);
    await until(() => t.streams[0]!.stdinEnded, 'idle channel closed');
    expect(t.channels.size).toBe(0);
    const second = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.streams.length === 2 && t.last().rounds() === 1, 'a new channel');
    t.last().answer([
      { out: '', rc: 0 },
      { out: '', rc: 0 },
    ]);
    await second;
    expect(t.kills).toEqual([]);
    expect(t.execs).toHaveLength(0);
  });

  it('an exec that never starts does not hang the round: after the open deadline it runs one-shot', async () => {
    const local = new LocalLab({ learnerId: 'l', template: 't' });
    const clock = new ManualClock();
    let oneShot = 0;
    let start!: (s: StreamExec) => void;
    const channels = new CheckChannels({
      exec: (...a) => {
        oneShot++;
        return local.exec(...a);
      },
      execStream: () => new Promise<StreamExec>((r) => (start = r)),
      clock,
    });
    const pending = channels.run(local.id, 'node1', items);
    await until(() => clock.pending(10_000) === 1, 'open deadline set');
    clock.fire(10_000);
    expect((await pending).get('a')!.outcome).toBe('passed');
    expect(oneShot).toBe(1);
    // The exec that finally starts is ended at once.
    const lateStream = new FakeStream(4242);
    start(lateStream.asExec());
    await until(() => lateStream.closed, 'late stream closed');
  });

  it('a lab event during a round interrupts it without a retry or any exec (a paused lab stays paused)', async () => {
    const t = fakeLab({ exitOnEof: false });
    const pending = t.channels.run('lab-local-1', 'node1', items);
    await until(() => t.last()?.rounds() === 1, 'round written');
    await t.channels.closeLab('lab-local-1', 'the lab is paused');
    const r = await pending;
    expect([...r.values()].map((v) => v.outcome)).toEqual(['error', 'error']);
    expect(r.get('a')!.summary).toContain('the lab is paused');
    expect(t.last().stdinEnded).toBe(true);
    expect(t.execs).toHaveLength(0);
    expect(t.kills).toEqual([]);
    expect(t.clock.pending(1_000)).toBe(0); // no exit grace either: nothing will kill
  });

  it('a failed open falls back to one-shot exec', async () => {
    const local = new LocalLab({ learnerId: 'l', template: 't' });
    let oneShot = 0;
    const channels = new CheckChannels({
      exec: (...a) => {
        oneShot++;
        return local.exec(...a);
      },
      execStream: async () => Promise.reject(new Error('exec create (stream) failed')),
      clock: new ManualClock(),
    });
    const r = await channels.run(local.id, 'node1', items);
    expect(oneShot).toBe(1);
    expect(r.get('a')!.outcome).toBe('passed');
  });
});

describe('the grader closes channels on lab events, without an exec', () => {
  const yaml = `
tasks:
  - id: t
    title: T
    description: d
    target: node1
    check: '[ -e done ] || fail "not done"'
    solution: {text: t, script: touch done}
`;
  async function graderWithEvents() {
    const r = parseChallenge(yaml, 'challenge.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const lesson: LessonChallenge = { lesson: 'm/l', title: 'L', href: '/l', sandbox: 'nodes-1', challengeFile: 'c', challenge: r.challenge };
    const lab = new LocalLab({ learnerId: 'learner-channel-events-1', template: 'nodes-1' });
    const listeners = new Set<(e: LabEvent) => void>();
    const base = lab.manager();
    let execs = 0;
    const labs = {
      ...base,
      exec: (...a: Parameters<typeof base.exec>) => {
        execs++;
        return base.exec(...a);
      },
      subscribe: (l: (e: LabEvent) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const db = openProgressDb(await mkdtemp(path.join(tmpdir(), 'pw-channel-')));
    const grader = new Grader({
      labs,
      progress: new SqliteProgressStore(db),
      lessons: { get: async () => lesson, list: async () => [lesson] },
      intervalMs: 60_000,
    });
    const key = { labId: lab.id, lesson: 'm/l', learnerId: lab.learnerId };
    await grader.prepareLab(lab.id, 'm/l');
    const emit = (e: LabEvent) => {
      for (const l of listeners) l(e);
    };
    return { grader, key, lab, emit, execs: () => execs, listeners, done: async () => (await grader.close(), db.close()) };
  }

  for (const [what, event] of [
    ['paused', { type: 'state', labId: 'lab-local-1', state: 'paused' }],
    ['destroyed', { type: 'state', labId: 'lab-local-1', state: 'destroyed', detail: 'by test' }],
    ['reset', { type: 'reset', labId: 'lab-local-1' }],
    ['target down', { type: 'target-down', labId: 'lab-local-1', target: 'node1', reason: 'gone' }],
  ] as const) {
    it(`${what}: the lab's channel ends`, async () => {
      const g = await graderWithEvents();
      try {
        await g.grader.checkNow(g.key);
        expect(g.lab.streamCount).toBe(1);
        expect(g.grader.channels!.size).toBe(1);
        const before = g.execs();
        g.emit(event as LabEvent);
        await until(() => g.grader.channels!.size === 0, 'channel closed');
        expect(g.execs()).toBe(before); // no kill exec: a paused lab must not be woken up
        await g.grader.checkNow(g.key); // the next round opens a new one
        expect(g.lab.streamCount).toBe(2);
      } finally {
        await g.done();
      }
    });
  }

  it('an event of another lab leaves the channel alone; closing the grader ends it and unsubscribes', async () => {
    const g = await graderWithEvents();
    await g.grader.checkNow(g.key);
    g.emit({ type: 'state', labId: 'another-lab', state: 'paused' });
    await new Promise((r) => setImmediate(r));
    expect(g.grader.channels!.size).toBe(1);
    await g.done();
    expect(g.grader.channels!.size).toBe(0);
    expect(g.listeners.size).toBe(0);
  });

  it('labReset (and preparing the lab again) ends the channel', async () => {
    const g = await graderWithEvents();
    try {
      await g.grader.checkNow(g.key);
      expect(g.grader.channels!.size).toBe(1);
      await g.grader.labReset(g.lab.id);
      expect(g.grader.channels!.size).toBe(0);
    } finally {
      await g.done();
    }
  });
});
