// Instant feedback: a grading round as soon as a command the learner typed has finished, instead of waiting for the
// next periodic round (GRADER_INTERVAL). The terminal gateway sees the bytes, the grader runs the rounds; this file is
// the small typed link between them:
//
//   terminal session --input/output--> CommandWatcher (one per shell) --commandDone(lab)--> CheckTrigger (one per
//   platform: debounce + rate limit per lab) --run(lab)--> Grader.commandFinished(lab)
//
// "Finished" means Enter was typed and then either the shell printed its prompt again (the tail of the output, escape
// sequences stripped, ends like a prompt: "...# " or "...$ ") or the output went quiet for QUIET_MS (a command that
// prints no prompt: a pager, a REPL, a long `ping`). Nothing in the node image changes: the prompt is recognised from
// the bytes the shell writes anyway. A false positive (a program printing "$ ") costs one round, never a wrong verdict.
//
// Cost: a triggered round replaces a periodic one (GradingLoop reschedules after every round) and the trigger is rate
// limited per lab (MIN_GAP_MS), so a learner pressing Enter in a loop cannot run more than one round per gap. While the
// trigger is live for a lab, only every other periodic round runs (thinnedSchedule): the rounds the learner's
// commands cause replace the ones the interval would have run, keeping CPU per open lesson at the periodic level.
import type { Clock } from './grading-loop.ts';
import { systemClock } from './grading-loop.ts';

/** Output quiet this long after Enter counts as "the command is done" when no prompt was recognised. */
export const QUIET_MS = 250;
/** Commands finishing within this window (several terminals, prompt and quiet both firing) make one round. */
export const DEBOUNCE_MS = 20;
/** At most one triggered round per lab per this long; a later command waits for the end of the gap (trailing edge). */
export const MIN_GAP_MS = 750;
/** Bytes of recent output kept to recognise a prompt (a long PS1 with colours fits easily). */
const TAIL_BYTES = 512;

/** What the gateway tells the trigger: a command typed in this lab's terminal has finished. */
export interface CommandDone {
  labId: string;
  target: string;
  /** How the end was recognised. */
  how: 'prompt' | 'quiet';
}

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte escapes, and bash's \001/\002 markers.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x01\x02]/g;

/** The visible end of some terminal output ends like a shell prompt: "user@host:~# ", "$ ", "> " (a continuation). */
export function looksLikePrompt(tail: string): boolean {
  const text = tail.replace(ESCAPES, '');
  const lastLine = text.slice(text.lastIndexOf('\n') + 1).replace(/^.*\r(?=.)/s, '');
  return /[#$%>] $/.test(lastLine);
}

export interface CommandWatcherOptions {
  onDone: (how: CommandDone['how']) => void;
  clock?: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  quietMs?: number;
}

/**
 * Watches one shell. Armed by Enter (CR or LF in the input); fires once per armed command, at the prompt or after
 * quiet output, then waits for the next Enter. Cheap per byte: input is scanned for one byte value, output only while
 * armed, and only its last TAIL_BYTES are kept.
 */
export class CommandWatcher {
  readonly #opts: CommandWatcherOptions;
  readonly #clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  #armed = false;
  #tail = '';
  #quietTimer: unknown;
  #lastOutputAt = 0;
  #disposed = false;

  constructor(opts: CommandWatcherOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  get armed(): boolean {
    return this.#armed;
  }

  /** Bytes the learner typed (or pasted). */
  input(bytes: Uint8Array): void {
    if (this.#disposed) return;
    if (bytes.includes(0x0d) || bytes.includes(0x0a)) {
      this.#armed = true;
      this.#tail = '';
      this.#restartQuiet();
    }
  }

  /** Bytes the shell (or the program it runs) wrote. */
  output(bytes: Uint8Array): void {
    if (this.#disposed || !this.#armed) return;
    // Only the end of a chunk can hold the prompt: a flood costs a bounded slice per chunk, not a copy of it.
    const end = bytes.subarray(Math.max(0, bytes.byteLength - TAIL_BYTES));
    const chunk = Buffer.from(end.buffer, end.byteOffset, end.byteLength).toString('latin1');
    this.#tail = (this.#tail + chunk).slice(-TAIL_BYTES);
    if (looksLikePrompt(this.#tail)) this.#fire('prompt');
    else this.#lastOutputAt = this.#now();
  }

  #now(): number {
    return this.#clock.now();
  }

  dispose(): void {
    this.#disposed = true;
    this.#armed = false;
    this.#cancelQuiet();
  }

  #fire(how: CommandDone['how']): void {
    this.#armed = false;
    this.#tail = '';
    this.#cancelQuiet();
    this.#opts.onDone(how);
  }

  /** One timer per armed command, not one per chunk: when it fires early (output came meanwhile) it waits the rest. */
  #restartQuiet(): void {
    this.#cancelQuiet();
    this.#lastOutputAt = this.#now();
    const quietMs = this.#opts.quietMs ?? QUIET_MS;
    const wait = (ms: number) => {
      this.#quietTimer = this.#clock.setTimeout(() => {
        this.#quietTimer = undefined;
        if (!this.#armed || this.#disposed) return;
        const quietFor = this.#now() - this.#lastOutputAt;
        if (quietFor >= quietMs) this.#fire('quiet');
        else wait(quietMs - quietFor);
      }, ms);
    };
    wait(quietMs);
  }

  #cancelQuiet(): void {
    if (this.#quietTimer !== undefined) this.#clock.clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
  }
}

export interface CheckTriggerOptions {
  /** Runs a round for every open lesson of the lab (Grader.commandFinished). */
  run: (labId: string) => unknown;
  clock?: Clock;
  debounceMs?: number;
  minGapMs?: number;
}

export interface CheckTriggerStats {
  /** commandDone calls received. */
  signals: number;
  /** Rounds asked of the grader (after debounce and rate limit). */
  fired: number;
}

/** Debounces and rate-limits command signals per lab, then asks the grader for a round. */
export class CheckTrigger {
  readonly #opts: CheckTriggerOptions;
  readonly #clock: Clock;
  readonly #labs = new Map<string, { timer: unknown; lastFiredAt: number }>();
  readonly stats: CheckTriggerStats = { signals: 0, fired: 0 };
  #closed = false;

  constructor(opts: CheckTriggerOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  commandDone(signal: Pick<CommandDone, 'labId'>): void {
    if (this.#closed) return;
    this.stats.signals++;
    const now = this.#clock.now();
    const lab = this.#labs.get(signal.labId) ?? { timer: undefined, lastFiredAt: -Infinity };
    this.#labs.set(signal.labId, lab);
    if (lab.timer !== undefined) return; // a round is already on its way: it will see this command's effect too
    const wait = Math.max(this.#opts.debounceMs ?? DEBOUNCE_MS, lab.lastFiredAt + (this.#opts.minGapMs ?? MIN_GAP_MS) - now);
    lab.timer = this.#clock.setTimeout(() => {
      lab.timer = undefined;
      if (this.#closed) return;
      lab.lastFiredAt = this.#clock.now();
      this.stats.fired++;
      try {
        void Promise.resolve(this.#opts.run(signal.labId)).catch(() => {});
      } catch {
        // the grader logs its own failures; a trigger must never break a terminal
      }
    }, wait);
  }

  /** When a triggered round last ran for the lab (undefined: never). */
  lastFiredAt(labId: string): number | undefined {
    const at = this.#labs.get(labId)?.lastFiredAt;
    return at === undefined || at === -Infinity ? undefined : at;
  }

  /** The lab is gone: drop its state. */
  forget(labId: string): void {
    const lab = this.#labs.get(labId);
    if (lab?.timer !== undefined) this.#clock.clearTimeout(lab.timer);
    this.#labs.delete(labId);
  }

  close(): void {
    this.#closed = true;
    for (const id of [...this.#labs.keys()]) this.forget(id);
  }
}

/** While commands trigger rounds for a lab (one within this window), periodic rounds are thinned (see the header). */
export const TRIGGER_LIVE_MS = 60_000;

/**
 * Wraps a background schedule (idleAwareSchedule): while the lab's trigger fired within TRIGGER_LIVE_MS, only every
 * other periodic round that the inner schedule allows runs. Without recent commands it is the inner schedule unchanged.
 */
export function thinnedSchedule(inner: () => Promise<boolean>, lastCommandAt: () => number | undefined, clock: Pick<Clock, 'now'>): () => Promise<boolean> {
  let skipNext = false;
  return async () => {
    if (!(await inner())) return false;
    const last = lastCommandAt();
    if (last === undefined || clock.now() - last > TRIGGER_LIVE_MS) {
      skipNext = false;
      return true;
    }
    skipNext = !skipNext;
    return !skipNext;
  };
}
