// A trainer's read-only watcher of a terminal session (#17): the screen it starts from plus every chunk after it
// reproduce exactly what the learner's terminal shows, even while output keeps streaming when the watch begins (no
// byte lost, none doubled); the learner's own frame leaves before the watcher's copy; the watcher is told when the
// session ends, and stop() detaches it.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import headless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { CallBudget } from '../../../lab-runner/terminal/call-budget.ts';
import { DEFAULT_TERMINAL_BUDGETS, TerminalSession } from '../../../lab-runner/terminal/terminal-session.ts';
import { DEFAULT_FLOW_LIMITS } from '../../../lab-runner/terminal/flow-control.ts';

const { Terminal } = headless as unknown as { Terminal: typeof HeadlessTerminal };

class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  frames: Buffer[] = [];
  controls: Record<string, unknown>[] = [];
  log: string[] | undefined;
  send(data: Buffer | string, opts?: unknown, cb?: () => void): void {
    if (typeof data === 'string') this.controls.push(JSON.parse(data) as Record<string, unknown>);
    else {
      this.frames.push(Buffer.from(data));
      this.log?.push('learner');
    }
    if (typeof opts === 'function') (opts as () => void)();
    else cb?.();
  }
  close(): void {
    this.readyState = 3;
    this.emit('close');
  }
}

const turn = () => new Promise((r) => setImmediate(r));
const sessions: TerminalSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.end('server-closing');
});

async function attached() {
  const stream = new PassThrough();
  const session = new TerminalSession({
    id: 's1',
    claims: { learner: 'learner-aaaaaaaaaaaaaaaa', lab: 'lab-1', target: 'node1' },
    exec: { id: 'e1', stream, resize: async () => {}, exited: new Promise<number>(() => {}) },
    cols: 80,
    rows: 24,
    graceMs: 60_000,
    scrollback: 100,
    limits: { ...DEFAULT_FLOW_LIMITS, unackedHigh: 64 * 1024 * 1024, unackedLow: 32 * 1024 * 1024, mirrorHigh: 64 * 1024 * 1024, mirrorLow: 32 * 1024 * 1024 },
    inputLimitBytes: 64 * 1024,
    onActivity: () => {},
    kill: async () => {},
    onEnded: () => {},
    dockerCalls: new CallBudget(4),
    budgets: DEFAULT_TERMINAL_BUDGETS,
  });
  sessions.push(session);
  const ws = new FakeSocket();
  session.attach(ws as unknown as WebSocket, 80, 24);
  while (!ws.controls.some((m) => m.type === 'ready')) await turn();
  return { stream, ws, session };
}

function screenText(t: HeadlessTerminal): string {
  const b = t.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)!.translateToString(true));
  return lines.join('\n').trimEnd();
}

const write = (t: HeadlessTerminal, data: string | Uint8Array) => new Promise<void>((r) => t.write(data, r));

describe('terminal watch', () => {
  it("screen + chunks equal the learner's terminal while output streams during the watch start", async () => {
    const { stream, ws, session } = await attached();
    const learner = new Terminal({ cols: 80, rows: 24, scrollback: 100, allowProposedApi: true });
    let n = 0;
    const produce = () => stream.write(`\x1b[3${n % 7}mline ${n++}\x1b[0m ${'x'.repeat(n % 50)}\r\n`);
    for (let i = 0; i < 200; i++) produce();
    // Keep writing while the watch starts: the watcher must see each of these exactly once.
    const streaming = setInterval(() => {
      for (let i = 0; i < 5; i++) produce();
    }, 1);
    const chunks: Buffer[] = [];
    let ended = false;
    const w = await session.watch(
      (c) => chunks.push(c),
      () => (ended = true),
    );
    await new Promise((r) => setTimeout(r, 30));
    clearInterval(streaming);
    for (let i = 0; i < 20; i++) produce();
    while (session.stats().mirrorBacklog > 0 || ws.frames.length === 0) await turn();
    await new Promise((r) => setTimeout(r, 50));
    for (const f of ws.frames) await write(learner, f);
    const watcher = new Terminal({ cols: w.cols, rows: w.rows, scrollback: 100, allowProposedApi: true });
    await write(watcher, w.screen);
    for (const c of chunks) await write(watcher, c);
    expect(n).toBeGreaterThan(220);
    expect(screenText(watcher)).toBe(screenText(learner));
    // Detached watchers get nothing more; the session's end is announced to attached ones.
    w.stop();
    const before = chunks.length;
    produce();
    await new Promise((r) => setTimeout(r, 20));
    expect(chunks.length).toBe(before);
    expect(ended).toBe(false);
    const w2 = await session.watch(
      () => {},
      () => (ended = true),
    );
    expect(w2.screen.length).toBeGreaterThan(0);
    session.end('lab-gone');
    expect(ended).toBe(true);
  });

  it("the learner's frame leaves before the watcher's copy", async () => {
    const { stream, ws, session } = await attached();
    const order: string[] = [];
    ws.log = order;
    await session.watch(
      () => order.push('watcher'),
      () => {},
    );
    stream.write('x');
    while (order.length < 2) await turn();
    expect(order).toEqual(['learner', 'watcher']);
  });
});
