// How a terminal session frames a program's output for the browser: a flood of small reads leaves in big
// frames (one WebSocket message per Docker read is most of what a flood costs), while an echo after a quiet
// moment leaves on the next turn of the event loop, never behind a timer.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CallBudget } from '../../../lab-runner/terminal/call-budget.ts';
import { DEFAULT_TERMINAL_BUDGETS, TerminalSession } from '../../../lab-runner/terminal/terminal-session.ts';
import { DEFAULT_FLOW_LIMITS } from '../../../lab-runner/terminal/flow-control.ts';
import { FakeSocket } from './fake-socket.ts';

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
  ws.frames = [];
  return { stream, ws };
}

describe('terminal output frames', () => {
  it('sends a flood of 4 KiB reads in far fewer, bigger frames, every byte once and in order', async () => {
    const { stream, ws } = await attached();
    const reads = Array.from({ length: 256 }, (_, i) => Buffer.alloc(4096, 0x41 + (i % 26)));
    for (const r of reads) {
      stream.write(r);
      await turn();
    }
    while (Buffer.concat(ws.frames).length < 256 * 4096) await new Promise((r) => setTimeout(r, 5));
    expect(Buffer.concat(ws.frames).equals(Buffer.concat(reads))).toBe(true);
    // One frame per read without coalescing (256); under a flood a frame waits up to 4 ms for more.
    expect(ws.frames.length).toBeLessThan(reads.length / 2);
  });

  it('sends an echo after a quiet moment on the next turn of the event loop', async () => {
    const { stream, ws } = await attached();
    stream.write(Buffer.alloc(32 * 1024, 0x61)); // a big frame: the next output would count as a flood if it came at once
    while (ws.frames.length === 0) await turn();
    await new Promise((r) => setTimeout(r, 30)); // quiet: the flood is over
    stream.write(Buffer.from('x'));
    await turn();
    await turn();
    expect(ws.frames.at(-1)!.toString()).toBe('x');
  });
});
