import { describe, expect, it } from 'vitest';
import { CappedBuffer, StreamDemuxer } from '../../../lab-runner/docker/stream-demuxer.ts';
import { wrapWithTimeout } from '../../../lab-runner/docker/docker-exec.ts';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('StreamDemuxer', () => {
  it('splits stdout and stderr frames, even when chunks cut through headers and payloads', () => {
    const out: string[] = [];
    const err: string[] = [];
    const d = new StreamDemuxer((s, p) => (s === 'stdout' ? out : err).push(p.toString()));
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'wörld')]);
    for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3));
    expect(out.join('')).toBe('hello wörld');
    expect(err.join('')).toBe('oops');
  });

  it('keeps multibyte characters split across frames intact once joined', () => {
    const bytes = Buffer.from('✓');
    const chunks: Buffer[] = [];
    const d = new StreamDemuxer((_s, p) => chunks.push(Buffer.from(p)));
    for (const b of bytes) {
      const header = Buffer.alloc(8);
      header[0] = 1;
      header.writeUInt32BE(1, 4);
      d.push(Buffer.concat([header, Buffer.from([b])]));
    }
    expect(Buffer.concat(chunks).toString()).toBe('✓');
  });
});

describe('CappedBuffer', () => {
  it('keeps at most max bytes and flags truncation', () => {
    const b = new CappedBuffer(5);
    b.add(Buffer.from('abc'));
    expect(b.truncated).toBe(false);
    b.add(Buffer.from('defg'));
    b.add(Buffer.from('h'));
    expect(b.text()).toBe('abcde');
    expect(b.truncated).toBe(true);
  });
});

describe('wrapWithTimeout', () => {
  it('runs the command under GNU timeout with a 1 s kill grace', () => {
    expect(wrapWithTimeout(['bash', '-s'], 10_000)).toEqual(['timeout', '-k', '1', '10s', 'bash', '-s']);
    expect(wrapWithTimeout(['true'], 1500)).toEqual(['timeout', '-k', '1', '1.5s', 'true']);
  });
});
