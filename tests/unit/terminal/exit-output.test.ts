// What a shell writes right before it exits reaches the browser before the "exit" message: the session's last
// output may still wait for its frame (one per event-loop turn) when the exit arrives with the stream's end.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { CallBudget } from '../../../lab-runner/terminal/call-budget.ts';
import { DEFAULT_TERMINAL_BUDGETS, TerminalSession } from '../../../lab-runner/terminal/terminal-session.ts';
import { DEFAULT_FLOW_LIMITS } from '../../../lab-runner/terminal/flow-control.ts';
import { FakeSocket } from './fake-socket.ts';

const turn = () => new Promise((r) => setImmediate(r));

describe('a shell that exits', () => {
  it('gets its last output to the browser, then the exit code', async () => {
    const stream = new PassThrough();
    let exit!: (code: number) => void;
    let ended = false;
    const session = new TerminalSession({
      id: 's1',
      claims: { learner: 'learner-aaaaaaaaaaaaaaaa', lab: 'lab-1', target: 'node1' },
      exec: { id: 'e1', stream, resize: async () => {}, exited: new Promise<number>((r) => (exit = r)) },
      cols: 80,
      rows: 24,
      graceMs: 60_000,
      scrollback: 100,
      limits: DEFAULT_FLOW_LIMITS,
      inputLimitBytes: 64 * 1024,
      onActivity: () => {},
      kill: async () => {},
      onEnded: () => (ended = true),
      dockerCalls: new CallBudget(4),
      budgets: DEFAULT_TERMINAL_BUDGETS,
    });
    const ws = new FakeSocket();
    session.attach(ws as unknown as WebSocket, 80, 24);
    while (!ws.sent.includes('control:ready')) await turn();
    ws.sent = [];

    // `exit` at the prompt: the shell says goodbye and is gone in the same moment.
    exit(0);
    stream.end(Buffer.from('logout\r\n'));
    while (!ended) await turn();

    expect(ws.sent).toEqual(['logout\r\n', 'control:exit']);
  });
});
