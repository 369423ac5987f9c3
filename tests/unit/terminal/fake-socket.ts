// Just enough of a `ws` socket for TerminalSession unit tests: records binary frames and control messages, and the
// order they went out in; acks nothing (the tests' flow limits are far above what they send).
import { EventEmitter } from 'node:events';

export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  frames: Buffer[] = [];
  controls: Record<string, unknown>[] = [];
  /** Everything sent, in order: a frame as its text, a control message as "control:<type>". */
  sent: string[] = [];
  send(data: Buffer | string, opts?: unknown, cb?: () => void): void {
    if (typeof data === 'string') {
      const message = JSON.parse(data) as Record<string, unknown>;
      this.controls.push(message);
      this.sent.push(`control:${String(message.type)}`);
    } else {
      this.frames.push(Buffer.from(data));
      this.sent.push(Buffer.from(data).toString());
    }
    if (typeof opts === 'function') (opts as () => void)();
    else cb?.();
  }
  close(): void {
    this.readyState = 3;
    this.emit('close');
  }
}
