// Docker's multiplexed stream format for non-TTY attach/exec/logs: 8-byte header
// [stream type (1=stdout, 2=stderr), 0, 0, 0, uint32 big-endian length] then the payload.
// Frames may be split across chunks, so bytes are buffered until a whole header/payload is there.
export type FrameSink = (stream: 'stdout' | 'stderr', payload: Buffer) => void;

export class StreamDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly sink: FrameSink;

  constructor(sink: FrameSink) {
    this.sink = sink;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 8) {
      const type = this.pending[0];
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + length) return;
      const payload = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      // Type 0 (stdin echo) never carries output we want; anything but 2 counts as stdout.
      if (type === 2) this.sink('stderr', payload);
      else if (type === 1) this.sink('stdout', payload);
    }
  }
}

/** Collects one output stream up to a byte cap, remembering whether anything was dropped. */
export class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  add(chunk: Buffer): void {
    const room = this.max - this.size;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
