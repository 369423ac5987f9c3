// A persistent check channel per (lab, target): one long-lived exec running a small bash loop that takes a batch of
// checks on stdin, runs it, and answers with the batch's frames. Why: a `docker exec` costs ~23 ms of CPU inside the
// node (runc init) and ~28 ms in dockerd+containerd, while the checks themselves take a few ms; at one round every
// few seconds the exec was nearly all of the grader's cost. With a channel a round costs no exec at all.
//
// Protocol (stdin → loop): "<byte length> <token>\n<batch script>", the batch script being check-batch.ts's
// batchScript(items, token). The loop runs with LC_ALL=C as a shell variable (so `read -N` counts bytes; it is never
// exported), reads the script in a subshell that then points its stdin at /dev/null, unsets LC_ALL and evals it: the
// checks see the exec's LANG=C.UTF-8 and no LC_ALL, exactly as with a one-shot exec, and the loop itself never holds a
// script in its memory between rounds. The batch prints its frames; the loop ends the round with "<token> END <status>".
// The loop prints "packetwalk-checks <pid>" when it starts; it runs as `packetwalk-checks` in `ps`, so a learner who
// sees it knows what it is.
//
// Failure handling: a round has a deadline (the checks' timeouts + slack, as for a one-shot batch) and an output cap.
// Deadline passed, output over the cap, the stream ended, output that is not frames, or checks missing from the answer
// → the channel is closed and discarded (stdin closed; if the loop has not ended a moment later, one `kill` exec of its
// process group) and the round is retried ONCE through the one-shot runBatch exec. So a learner who kills the channel
// (`pkill bash`, `kill -9 -1`) never sees an error verdict; the next round opens a new channel. Channels close when
// unused for CHANNEL_IDLE_MS, when the grader closes, and when the lab is paused, reset, destroyed or prepared for
// another lesson (closeLab; no exec then: a paused lab must not be woken up).
import { StringDecoder } from 'node:string_decoder';
import { createLogger } from '../../lib/log.ts';
import type { StreamExec, StreamExecOptions } from '../runtime/container-runtime.ts';
import { batchDeadlineMs, batchOutputCap, batchScript, newBatchToken, parseBatchOutput, runBatch } from './check-batch.ts';
import type { BatchItem } from './check-batch.ts';
import type { LabExec } from './check-runner.ts';
import { systemClock } from './grading-loop.ts';
import type { Clock } from './grading-loop.ts';
import { errorVerdict } from './verdict.ts';
import type { Verdict } from './verdict.ts';

const log = createLogger('grader');

/** LabManager.execStream, or anything shaped like it (tests). */
export type LabExecStream = (labId: string, target: string, opts: StreamExecOptions) => Promise<StreamExec>;

/** The name the loop runs under (`ps`, `pkill -f packetwalk-checks`). */
export const CHANNEL_PROCESS_NAME = 'packetwalk-checks';
/**
 * Close a channel nobody used for this long. Above the grading loop's slowest interval (one round in
 * IDLE_ROUND_EVERY = 5 while the learner is idle: 5 × 3 s + 20 % jitter = 18 s), so an open lesson keeps its channel.
 */
export const CHANNEL_IDLE_MS = 60_000;
/** How long a new channel may take to start and say hello. */
const OPEN_TIMEOUT_MS = 10_000;
/** After stdin is closed, how long the loop may take to end before its process group is killed. */
const EXIT_GRACE_MS = 1_000;

/** The loop, as bash source. Visible in `ps` (it holds no check): the comment says what it is. */
export const CHANNEL_LOOP = [
  '# packetwalk grader: runs the challenge checks of this lab; see docs/challenges.md. Killing it is harmless.',
  'LC_ALL=C',
  `printf '${CHANNEL_PROCESS_NAME} %s\\n' "$$"`,
  'while IFS=" " read -r __pw_n __pw_t && [[ $__pw_n =~ ^[1-9][0-9]{0,8}$ && $__pw_t =~ ^__pw_[0-9a-f]{24}$ ]]; do',
  '  ( IFS= read -r -N "$__pw_n" __pw_b || exit 125',
  '    exec </dev/null',
  '    unset LC_ALL __pw_n __pw_t',
  '    eval "unset __pw_b; $__pw_b" )',
  '  printf \'%s END %d\\n\' "$__pw_t" "$?"',
  'done',
].join('\n');

/** The exec command: `exec -a` names the loop's process packetwalk-checks. */
export const CHANNEL_COMMAND: readonly string[] = ['bash', '-c', `exec -a ${CHANNEL_PROCESS_NAME} bash -c "$1"`, CHANNEL_PROCESS_NAME, CHANNEL_LOOP];

/** Kills the loop's process group (the exec made it a session leader), after checking the pid is still the loop. */
const KILL_SCRIPT = `case "$(tr '\\000' ' ' < /proc/$1/cmdline 2>/dev/null)" in ${CHANNEL_PROCESS_NAME}\\ *) kill -KILL -- "-$1" "$1" 2>/dev/null ;; esac; exit 0`;

type RoundOutcome = { ok: true; verdicts: Map<string, Verdict> } | { ok: false; reason: string; retry: boolean };

interface PendingRound {
  token: string;
  items: BatchItem[];
  cap: number;
  bytes: number;
  text: string;
  deadline: unknown;
  resolve: (r: RoundOutcome) => void;
}

export interface CheckChannelsOptions {
  exec: LabExec;
  execStream: LabExecStream;
  clock?: Clock;
  idleMs?: number;
}

/** What the channels did since start; for tests, benchmarks and logs. */
export interface ChannelStats {
  opened: number;
  /** Rounds answered by a channel. */
  rounds: number;
  /** Rounds retried through a one-shot exec (channel failed or could not open). */
  fallbacks: number;
  /** Kill execs sent to a loop that did not end on EOF. */
  kills: number;
}

/** One channel: a loop in one target. Rounds are serialised by CheckChannels. */
class Channel {
  readonly labId: string;
  readonly target: string;
  /** Why it must not be used again (closed, ended, or something odd in its output). */
  broken: string | undefined;
  /** Set by close(): no round is answered, no exec is run for it any more. */
  closed = false;
  /** Closed because the lab changed (or the grader closed): rounds it interrupted are not retried. */
  #interrupted = false;
  readonly ready: Promise<void>;
  #stream: StreamExec | undefined;
  /** Before the loop's hello line: what arrived of it so far. After: the loop's pid (for the kill exec). */
  #greeting: { phase: 'waiting'; received: string } | { phase: 'greeted'; pid: number } = { phase: 'waiting', received: '' };
  #helloDone!: (err?: Error) => void;
  #pending: PendingRound | undefined;
  #ended = false;
  #exited: Promise<unknown> | undefined;
  #stderrTail = '';
  readonly #decoder = new StringDecoder('utf8');
  readonly #opts: CheckChannelsOptions & { clock: Clock; stats: ChannelStats };
  #idleTimer: unknown;
  #closing: Promise<void> | undefined;

  /** @param discard drops the channel from its owner's map and closes it (idle, or its loop ended between rounds) */
  constructor(labId: string, target: string, opts: CheckChannelsOptions & { clock: Clock; stats: ChannelStats }, discard: () => void) {
    this.labId = labId;
    this.target = target;
    this.#opts = opts;
    this.#discard = discard;
    const hello = new Promise<void>((resolve, reject) => (this.#helloDone = (err) => (err ? reject(err) : resolve())));
    hello.catch(() => {});
    this.ready = (async () => {
      // One deadline for starting the exec and hearing the loop's hello: a hung Docker call must not hang the round.
      let timer: unknown;
      const late = new Promise<never>((_, reject) => {
        timer = opts.clock.setTimeout(() => reject(new Error(`no hello within ${OPEN_TIMEOUT_MS / 1000} s`)), OPEN_TIMEOUT_MS);
      });
      late.catch(() => {});
      let gaveUp = false;
      const starting = opts.execStream(labId, target, { cmd: [...CHANNEL_COMMAND], env: { LANG: 'C.UTF-8' } });
      // Started after we gave up on it: end it as soon as it exists.
      starting.then(
        (s) => (gaveUp ? s.close() : undefined),
        () => {},
      );
      try {
        const s = await Promise.race([starting, late]).catch((err: unknown) => {
          gaveUp = true;
          throw err;
        });
        if (this.closed) {
          s.close();
          throw new Error(`closed while opening: ${this.broken}`);
        }
        this.#attach(s);
        await Promise.race([hello, late]);
      } finally {
        opts.clock.clearTimeout(timer);
      }
      opts.stats.opened++;
      log.debug('check channel open', { lab: labId, target, pid: this.#greeting.phase === 'greeted' ? this.#greeting.pid : undefined });
    })();
    this.ready.catch(() => {});
  }

  readonly #discard: () => void;

  #attach(s: StreamExec): void {
    this.#stream = s;
    s.stdout.on('data', (chunk: Buffer) => this.#onData(chunk));
    s.stdout.on('end', () => this.#onEnd('its output ended'));
    s.stdout.on('error', (err: Error) => this.#onEnd(`its output failed: ${err.message}`));
    s.stderr.on('data', (chunk: Buffer) => (this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-500)));
    s.stderr.on('error', () => {});
    s.stdin.on('error', (err: Error) => this.#onEnd(`its stdin failed: ${err.message}`));
    this.#exited = s.exited.then((code) => this.#onEnd(`the loop exited (status ${code})`));
  }

  #onData(chunk: Buffer): void {
    let text = this.#decoder.write(chunk);
    if (this.#greeting.phase === 'waiting') {
      const received = (this.#greeting.received += text);
      const nl = received.indexOf('\n');
      if (nl < 0) {
        if (received.length > 200) this.#fail('no hello from the loop');
        return;
      }
      const m = new RegExp(`^${CHANNEL_PROCESS_NAME} (\\d+)$`).exec(received.slice(0, nl));
      if (!m) return this.#fail('no hello from the loop');
      this.#greeting = { phase: 'greeted', pid: Number(m[1]) };
      text = received.slice(nl + 1);
      this.#helloDone();
      if (!text) return;
    }
    const r = this.#pending;
    if (!r) {
      // The loop prints nothing between rounds: this came from someone else (a process writing into its stdout).
      this.broken ??= 'output between rounds';
      return;
    }
    r.bytes += chunk.length;
    if (r.bytes > r.cap) return this.#finish({ ok: false, reason: `output over the cap (${r.cap} bytes)`, retry: true });
    const from = Math.max(0, r.text.length - r.token.length - 16);
    r.text += text;
    const end = new RegExp(`(?:^|\\n)${r.token} END (\\d+)\\n`).exec(r.text.slice(from));
    if (!end) return;
    const endAt = from + end.index + (end[0].startsWith('\n') ? 1 : 0);
    const status = Number(end[1]);
    const after = r.text.slice(from + end.index + end[0].length);
    if (after) this.broken ??= 'output after the end of a round';
    const parsed = parseBatchOutput(r.text.slice(0, endAt), r.items, r.token);
    if (parsed.missing.length > 0)
      return this.#finish({
        ok: false,
        reason: `${parsed.missing.length} of ${r.items.length} checks did not report back (batch status ${status})`,
        retry: true,
      });
    if (parsed.strayBytes > 0) return this.#finish({ ok: false, reason: `${parsed.strayBytes} bytes of output outside the frames`, retry: true });
    this.#opts.stats.rounds++;
    this.#finish({ ok: true, verdicts: parsed.verdicts });
  }

  #onEnd(why: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.broken ??= why;
    this.#helloDone(new Error(why + (this.#stderrTail ? `: ${this.#stderrTail.trim()}` : '')));
    if (this.#pending) this.#finish({ ok: false, reason: `the channel ended mid-round (${why})`, retry: true });
    // Ended between rounds (killed by the learner, the container went away): nothing to retry, just forget it.
    else if (!this.closed) this.#discard();
  }

  #fail(why: string): void {
    this.broken ??= why;
    this.#helloDone(new Error(why));
    if (this.#pending) this.#finish({ ok: false, reason: why, retry: true });
  }

  #finish(outcome: RoundOutcome): void {
    const r = this.#pending;
    if (!r) return;
    this.#pending = undefined;
    this.#opts.clock.clearTimeout(r.deadline);
    if (!outcome.ok) this.broken ??= outcome.reason;
    else this.#armIdle();
    r.resolve(outcome);
  }

  #armIdle(): void {
    const { clock, idleMs = CHANNEL_IDLE_MS } = this.#opts;
    clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = clock.setTimeout(() => {
      this.#idleTimer = undefined;
      if (!this.#pending) this.#discard();
    }, idleMs);
  }

  /** Sends one batch and resolves with its verdicts, or with why the channel could not answer. */
  async round(items: BatchItem[]): Promise<RoundOutcome> {
    try {
      await this.ready;
    } catch (err) {
      return { ok: false, reason: `it could not open: ${err instanceof Error ? err.message : String(err)}`, retry: !this.#interrupted };
    }
    if (this.closed) return { ok: false, reason: `closed: ${this.broken}`, retry: !this.#interrupted };
    if (this.broken) return { ok: false, reason: this.broken, retry: true };
    this.#opts.clock.clearTimeout(this.#idleTimer);
    const token = newBatchToken();
    // bash variables cannot hold NUL bytes (a one-shot `$(cat)` drops them too); they would upset the byte count.
    const body = Buffer.from(batchScript(items, token).replaceAll('\u0000', ''), 'utf8');
    return new Promise<RoundOutcome>((resolve) => {
      const deadlineMs = batchDeadlineMs(items);
      this.#pending = {
        token,
        items,
        cap: batchOutputCap(items) + 256,
        bytes: 0,
        text: '',
        resolve,
        deadline: this.#opts.clock.setTimeout(() => this.#finish({ ok: false, reason: `no answer within ${deadlineMs / 1000} s`, retry: true }), deadlineMs),
      };
      // One write per round: header and script together.
      this.#stream!.stdin.write(Buffer.concat([Buffer.from(`${body.length} ${token}\n`), body]));
    });
  }

  /**
   * Closes the channel. `kill`: when the loop has not ended a moment after its stdin closed (a hung or stopped batch),
   * kill its process group with one exec. Never used for lab events: an exec would wake a paused lab.
   * `interrupt`: the lab changed under the channel; a round in flight (or waiting for it to open) is not retried.
   */
  close(reason: string, opts: { kill: boolean; interrupt?: boolean }): Promise<void> {
    if (opts.interrupt) this.#interrupted = true;
    this.#closing ??= (async () => {
      this.closed = true;
      this.broken ??= reason;
      this.#opts.clock.clearTimeout(this.#idleTimer);
      if (this.#pending) this.#finish({ ok: false, reason: `closed: ${reason}`, retry: !this.#interrupted });
      this.#helloDone(new Error(`closed: ${reason}`));
      const s = this.#stream;
      if (!s) return;
      s.close();
      log.debug('check channel closed', { lab: this.labId, target: this.target, reason });
      const greeting = this.#greeting;
      if (!opts.kill || this.#ended || greeting.phase !== 'greeted') return;
      const { clock } = this.#opts;
      let timer: unknown;
      const gone = await Promise.race([this.#exited!.then(() => true), new Promise<boolean>((r) => (timer = clock.setTimeout(() => r(false), EXIT_GRACE_MS)))]);
      clock.clearTimeout(timer);
      if (gone || this.#ended) return;
      this.#opts.stats.kills++;
      try {
        await this.#opts.exec(this.labId, this.target, { cmd: ['bash', '-c', KILL_SCRIPT, 'kill', String(greeting.pid)], timeoutMs: 5_000 });
      } catch (err) {
        log.debug('check channel kill failed', { lab: this.labId, target: this.target, error: err instanceof Error ? err.message : String(err) });
      }
    })();
    return this.#closing;
  }
}

/** The grader's check channels: at most one per (lab, target), one round at a time on each. */
export class CheckChannels {
  readonly stats: ChannelStats = { opened: 0, rounds: 0, fallbacks: 0, kills: 0 };
  readonly #opts: CheckChannelsOptions & { clock: Clock; stats: ChannelStats };
  readonly #channels = new Map<string, Channel>();
  readonly #queues = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(opts: CheckChannelsOptions) {
    this.#opts = { ...opts, clock: opts.clock ?? systemClock, stats: this.stats };
  }

  /** Number of open channels (for tests and logs). */
  get size(): number {
    return this.#channels.size;
  }

  /** Runs a round's checks on one target through its channel; every item gets a verdict, like runBatch. */
  run(labId: string, target: string, items: BatchItem[]): Promise<Map<string, Verdict>> {
    if (items.length === 0) return Promise.resolve(new Map());
    const key = keyOf(labId, target);
    const mine = (this.#queues.get(key) ?? Promise.resolve()).then(() => this.#runNow(labId, target, items));
    const tail = mine.catch(() => {});
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return mine;
  }

  async #runNow(labId: string, target: string, items: BatchItem[]): Promise<Map<string, Verdict>> {
    if (this.#closed) return runBatch(this.#opts.exec, labId, target, items);
    const key = keyOf(labId, target);
    let ch = this.#channels.get(key);
    if (ch?.broken) {
      this.#channels.delete(key);
      await ch.close(ch.broken, { kill: true });
      ch = undefined;
    }
    if (!ch) {
      const fresh: Channel = new Channel(labId, target, this.#opts, () => {
        if (this.#channels.get(key) === fresh) this.#channels.delete(key);
        void fresh.close(fresh.broken ?? 'idle', { kill: false });
      });
      ch = fresh;
      this.#channels.set(key, ch);
    }
    const outcome = await ch.round(items);
    if (outcome.ok) return outcome.verdicts;
    if (this.#channels.get(key) === ch) this.#channels.delete(key);
    if (!outcome.retry) {
      await ch.close(outcome.reason, { kill: false });
      const v = errorVerdict(`The checks on ${target} were interrupted (${outcome.reason}); they run again in the next round.`);
      return new Map(items.map((i) => [i.key, v]));
    }
    log.info('check channel failed; the round runs again through a one-shot exec', { lab: labId, target, reason: outcome.reason });
    // Close (and if need be kill) first: one check at a time per lab, even when the old batch hung.
    await ch.close(outcome.reason, { kill: true });
    this.stats.fallbacks++;
    return runBatch(this.#opts.exec, labId, target, items);
  }

  /** The lab was paused, reset, destroyed or prepared for another lesson: close its channels without any exec. */
  async closeLab(labId: string, reason: string): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, ch] of this.#channels) {
      if (ch.labId !== labId) continue;
      this.#channels.delete(key);
      closing.push(ch.close(reason, { kill: false, interrupt: true }));
    }
    await Promise.all(closing);
  }

  /** One target went down (its container stopped or vanished). */
  async closeTarget(labId: string, target: string, reason: string): Promise<void> {
    const key = keyOf(labId, target);
    const ch = this.#channels.get(key);
    if (!ch) return;
    this.#channels.delete(key);
    await ch.close(reason, { kill: false, interrupt: true });
  }

  /** The grader is closing: every channel ends; later rounds (if any) use one-shot execs. */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#channels.values()];
    this.#channels.clear();
    await Promise.all(all.map((ch) => ch.close('the grader closed', { kill: false, interrupt: true })));
  }
}

function keyOf(labId: string, target: string): string {
  return `${labId}\u0000${target}`;
}
