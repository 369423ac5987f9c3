// The prompt-return trigger: a command is "done" at the prompt or after quiet output; rounds are debounced and rate
// limited per lab; periodic rounds thin out while commands trigger rounds.
import { describe, expect, it } from 'vitest';
import {
  CheckTrigger,
  CommandWatcher,
  DEBOUNCE_MS,
  MIN_GAP_MS,
  QUIET_MS,
  looksLikePrompt,
  thinnedSchedule,
} from '../../../lab-runner/grader/command-trigger.ts';
import type { Clock } from '../../../lab-runner/grader/grading-loop.ts';

class FakeClock implements Clock {
  time = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  now = () => this.time;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number) {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = end;
  }
}

// The node image's prompt (sandboxes/images/node/rootfs/root/.bashrc) as bash prints it: colours, \001/\002 removed.
const PROMPT = '\x1b[1;32mroot@node1\x1b[0m:\x1b[1;34m~\x1b[0m# ';
const b = (s: string) => Buffer.from(s, 'latin1');

describe('looksLikePrompt', () => {
  it('recognises the node and jumpbox prompts with their colours, and continuation prompts', () => {
    expect(looksLikePrompt(`ip link\r\n1: lo: <LOOPBACK,UP>\r\n${PROMPT}`)).toBe(true);
    expect(looksLikePrompt('\x1b[1;32mlearner@jumpbox\x1b[0m:\x1b[1;34m~\x1b[0m$ ')).toBe(true);
    expect(looksLikePrompt('for i in 1 2; do\r\n> ')).toBe(true);
    expect(looksLikePrompt('\x1b]0;root@node1: ~\x07root@node1:~# ')).toBe(true);
  });
  it('does not take command output or a typed line for a prompt', () => {
    expect(looksLikePrompt('PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.\r\n')).toBe(false);
    expect(looksLikePrompt(`${PROMPT}ip link`)).toBe(false);
    expect(looksLikePrompt('64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=0.1 ms')).toBe(false);
    expect(looksLikePrompt('')).toBe(false);
  });
});

describe('CommandWatcher', () => {
  function watcher() {
    const clock = new FakeClock();
    const done: string[] = [];
    const w = new CommandWatcher({ onDone: (how) => done.push(how), clock });
    return { clock, done, w };
  }

  it('fires at the prompt after Enter, once, and not for output without Enter', () => {
    const { w, done, clock } = watcher();
    w.output(b(PROMPT)); // the first prompt, before anything was typed
    w.input(b('ip li'));
    w.output(b('ip li'));
    expect(done).toEqual([]);
    w.input(b('\r'));
    w.output(b('\r\n'));
    w.output(b('1: lo: <LOOPBACK,UP,LOWER_UP>\r\n'));
    expect(done).toEqual([]);
    w.output(b(PROMPT));
    expect(done).toEqual(['prompt']);
    // More output without a new Enter (a background job) does not fire again.
    w.output(b(`[1]+ Done\r\n${PROMPT}`));
    clock.advance(QUIET_MS * 4);
    expect(done).toEqual(['prompt']);
  });

  it('fires after quiet output when no prompt comes (a long-running program), and a pasted line counts as Enter', () => {
    const { w, done, clock } = watcher();
    w.input(b('ping -c 100 10.0.0.1\n'));
    w.output(b('PING 10.0.0.1\r\n'));
    clock.advance(QUIET_MS - 10);
    w.output(b('64 bytes from 10.0.0.1\r\n')); // output keeps the command "running"
    clock.advance(QUIET_MS - 10);
    expect(done).toEqual([]);
    clock.advance(20);
    expect(done).toEqual(['quiet']);
  });

  it('a flood costs one timer, not one per chunk, and a prompt at the end of a big chunk is still seen', () => {
    const { w, done, clock } = watcher();
    w.input(b('cat /var/log/big\r'));
    for (let i = 0; i < 1000; i++) {
      w.output(Buffer.alloc(4096, 0x61));
      clock.advance(1);
      expect(clock.timers.size).toBeLessThanOrEqual(1);
    }
    expect(done).toEqual([]);
    w.output(Buffer.concat([Buffer.alloc(64 * 1024, 0x61), b(`\r\n${PROMPT}`)]));
    expect(done).toEqual(['prompt']);
  });

  it('a command that prints nothing fires by quiet time; dispose stops everything', () => {
    const { w, done, clock } = watcher();
    w.input(b('\r'));
    w.dispose();
    clock.advance(QUIET_MS * 2);
    expect(done).toEqual([]);
  });
});

describe('CheckTrigger', () => {
  function trigger() {
    const clock = new FakeClock();
    const runs: { lab: string; at: number }[] = [];
    const t = new CheckTrigger({ run: (lab) => runs.push({ lab, at: clock.now() }), clock });
    return { clock, runs, t };
  }

  it('debounces commands finishing together into one round', () => {
    const { t, runs, clock } = trigger();
    t.commandDone({ labId: 'a' });
    t.commandDone({ labId: 'a' });
    clock.advance(5);
    t.commandDone({ labId: 'a' });
    clock.advance(DEBOUNCE_MS);
    expect(runs).toEqual([{ lab: 'a', at: DEBOUNCE_MS }]);
    expect(t.stats).toEqual({ signals: 3, fired: 1 });
  });

  it('rate-limits per lab: a command within the gap waits for its end (trailing), other labs are independent', () => {
    const { t, runs, clock } = trigger();
    t.commandDone({ labId: 'a' });
    clock.advance(DEBOUNCE_MS);
    clock.advance(100);
    t.commandDone({ labId: 'a' });
    t.commandDone({ labId: 'b' });
    clock.advance(DEBOUNCE_MS);
    expect(runs.map((r) => r.lab)).toEqual(['a', 'b']);
    clock.advance(MIN_GAP_MS);
    expect(runs).toEqual([
      { lab: 'a', at: DEBOUNCE_MS },
      { lab: 'b', at: DEBOUNCE_MS + 100 + DEBOUNCE_MS },
      { lab: 'a', at: DEBOUNCE_MS + MIN_GAP_MS },
    ]);
  });

  it('Enter held down for ten seconds runs at most one round per gap', () => {
    const { t, runs, clock } = trigger();
    for (let ms = 0; ms < 10_000; ms += 30) {
      t.commandDone({ labId: 'a' });
      clock.advance(30);
    }
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(10_000 / MIN_GAP_MS) + 1);
    expect(runs.length).toBeGreaterThanOrEqual(Math.floor(10_000 / MIN_GAP_MS) - 1);
  });

  it('forget and close drop pending rounds', () => {
    const { t, runs, clock } = trigger();
    t.commandDone({ labId: 'a' });
    t.forget('a');
    t.commandDone({ labId: 'b' });
    t.close();
    clock.advance(MIN_GAP_MS);
    expect(runs).toEqual([]);
  });
});

describe('thinnedSchedule', () => {
  it('runs every periodic round without recent commands, every other one while commands trigger rounds', async () => {
    const clock = new FakeClock();
    const last: { at?: number } = {};
    const s = thinnedSchedule(
      async () => true,
      () => last.at,
      clock,
    );
    expect([await s(), await s(), await s()]).toEqual([true, true, true]);
    last.at = clock.now();
    expect([await s(), await s(), await s(), await s()]).toEqual([false, true, false, true]);
    clock.advance(61_000);
    expect([await s(), await s()]).toEqual([true, true]);
  });
  it('never runs a round the inner schedule refuses (a paused lab)', async () => {
    const clock = new FakeClock();
    const s = thinnedSchedule(
      async () => false,
      () => undefined,
      clock,
    );
    expect(await s()).toBe(false);
  });
});
