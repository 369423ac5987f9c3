import { describe, expect, it } from 'vitest';
import { clampSize, encodeMessage, parseClientMessage, parseServerMessage } from '../../../lab-runner/wire/terminal-protocol.ts';

describe('client control messages', () => {
  it('accepts resize, ack and ping', () => {
    expect(parseClientMessage('{"type":"resize","cols":120,"rows":40}')).toEqual({ ok: true, message: { type: 'resize', cols: 120, rows: 40 } });
    expect(parseClientMessage('{"type":"ack","bytes":262144}')).toEqual({ ok: true, message: { type: 'ack', bytes: 262144 } });
    expect(parseClientMessage('{"type":"ping","id":7}')).toEqual({ ok: true, message: { type: 'ping', id: 7 } });
  });

  it.each([
    ['not JSON', 'resize 80 24', /not JSON/],
    ['unknown type', '{"type":"exec","cmd":"rm -rf /"}', /type/],
    ['missing field', '{"type":"resize","cols":80}', /rows/],
    ['fractional size', '{"type":"resize","cols":80.5,"rows":24}', /cols/],
    ['negative ack', '{"type":"ack","bytes":-1}', /bytes/],
    ['extra field', '{"type":"ack","bytes":1,"container":"abc"}', /container|Unrecognized/],
    ['server-only message', '{"type":"exit","code":0}', /type/],
    ['array', '[1,2]', /message|type/],
  ])('rejects %s with a message naming the problem', (_name, text, pattern) => {
    const result = parseClientMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(pattern);
  });

  it('clamps sizes into 1..500', () => {
    expect(clampSize(0)).toBe(1);
    expect(clampSize(80)).toBe(80);
    expect(clampSize(10_000)).toBe(500);
  });
});

describe('server control messages', () => {
  it('round-trip through encodeMessage', () => {
    const messages = [
      { type: 'ready', resumed: true, target: 'node1', ackEvery: 262144 },
      { type: 'replay-start', bytes: 1234 },
      { type: 'replay-end' },
      { type: 'exit', code: 130 },
      { type: 'error', message: 'The lab was stopped or reset.' },
      { type: 'pong', id: 3 },
    ] as const;
    for (const m of messages) expect(parseServerMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
  });

  it('rejects a ready without target', () => {
    expect(parseServerMessage('{"type":"ready","resumed":false}').ok).toBe(false);
  });
});
