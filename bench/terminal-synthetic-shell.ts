// A stand-in for `docker exec` used only by the terminal benchmark, to measure the gateway's own ceiling
// (WebSocket + flow control + screen mirror) without Docker's PTY path in the way. It answers a tiny command
// language: "plain N" prints N bytes of "y\r\n", "color N" N bytes of coloured lines; then "__DONE__" and a prompt.
// It honours back-pressure exactly like a socket: it stops producing while push() says the reader is full.
import { randomUUID } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { TtyExec } from '../lab-runner/runtime/container-runtime.ts';
import type { ReadyLab } from '../lab-runner/lab/lab.ts';
import type { TerminalLabs } from '../lab-runner/terminal/terminal-gateway.ts';

const BLOCK = 64 * 1024;
const block = (line: string) => {
  const unit = Buffer.from(line);
  return Buffer.alloc(Math.floor(BLOCK / unit.length) * unit.length, unit);
};
const PATTERNS: Record<string, Buffer> = { plain: block('y\r\n'), color: block('\x1b[32mok\x1b[0m line\r\n') };

export function syntheticShell(): TtyExec {
  let pending = '';
  let job: { pattern: Buffer; left: number } | undefined;
  let readerWants = false;
  let ended = () => {};
  const stream: Duplex = new Duplex({
    read() {
      readerWants = true;
      pump();
    },
    write(chunk: Buffer, _enc, cb) {
      pending += chunk.toString('latin1');
      let i: number;
      while ((i = pending.indexOf('\r')) >= 0) {
        const line = pending.slice(0, i).replace(/[\x00-\x1f]/g, '');
        pending = pending.slice(i + 1);
        const m = /^(plain|color) (\d+)$/.exec(line.trim());
        if (m) job = { pattern: PATTERNS[m[1]!]!, left: Number(m[2]) };
        else if (line.trim() === 'exit') {
          stream.push(null);
          ended();
        } else stream.push(`${line}\r\n$ `);
      }
      pump();
      cb();
    },
  });
  stream.on('close', () => ended());
  function pump(): void {
    while (readerWants && job) {
      const n = Math.min(job.pattern.length, job.left);
      job.left -= n;
      readerWants = stream.push(job.pattern.subarray(0, n));
      if (job.left === 0) {
        job = undefined;
        readerWants = stream.push('__DONE__\r\n$ ');
      }
    }
  }
  stream.push('$ ');
  return { id: randomUUID(), stream, resize: async () => {}, exited: new Promise<number>((r) => (ended = () => r(0))) };
}

export function syntheticLabs(labId: string, learnerId: string): TerminalLabs {
  const now = new Date();
  const lab: ReadyLab = {
    id: labId,
    learnerId,
    template: 'synthetic',
    createdAt: now,
    expiresAt: new Date(+now + 3_600_000),
    lastActiveAt: now,
    state: 'ready',
    networkId: 'none',
    targets: [{ name: 'synthetic', kind: 'node', title: 'synthetic', containerId: 'none', containerName: 'none' }],
    readyAt: now,
  };
  return {
    get: async (id) => (id === labId ? lab : undefined),
    execTty: async () => syntheticShell(),
    exec: async () => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 0, timedOut: false, truncated: false }),
    touch: async () => {},
    resume: async () => lab,
    subscribe: () => () => {},
  };
}
