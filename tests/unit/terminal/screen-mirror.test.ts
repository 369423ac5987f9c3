import { describe, expect, it } from 'vitest';
import headless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { ScreenMirror, hasStatefulByte } from '../../../lab-runner/terminal/screen-mirror.ts';

const { Terminal } = headless as unknown as { Terminal: typeof HeadlessTerminal };

async function mirrorOf(chunks: Buffer[], opts: { trimAboveBytes?: number; cols?: number; rows?: number } = {}) {
  const m = new ScreenMirror({ cols: opts.cols ?? 80, rows: opts.rows ?? 24, scrollback: 100, trimAboveBytes: opts.trimAboveBytes });
  for (const c of chunks) m.feed(c);
  await m.flush();
  return m;
}

/** Writes serialized output into a fresh terminal and returns its visible text, line by line. */
async function render(serialized: string, cols = 80, rows = 24): Promise<string[]> {
  const t = new Terminal({ cols, rows, scrollback: 100, allowProposedApi: true });
  await new Promise<void>((r) => t.write(serialized, r));
  const buf = t.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)!.translateToString(true));
  t.dispose();
  return lines;
}

const lines = (from: number, to: number, prefix = 'line') => Buffer.from(Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}\r\n`).join(''));

describe('ScreenMirror', () => {
  it('serializes text, colours and the cursor so a fresh terminal shows the same screen', async () => {
    const m = await mirrorOf([Buffer.from('root@node1:~# echo hi\r\nhi\r\n\x1b[1;31mred\x1b[0m\r\nroot@node1:~# ')]);
    const s = m.serialize();
    expect(s).toContain('\x1b[');
    const shown = await render(s);
    expect(shown.slice(0, 4)).toEqual(['root@node1:~# echo hi', 'hi', 'red', 'root@node1:~# ']);
  });

  it('restores the alternate screen (full-screen programs)', async () => {
    const m = await mirrorOf([Buffer.from('$ vi\r\n\x1b[?1049h\x1b[H\x1b[2JEDITOR CONTENT')]);
    const t = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
    await new Promise<void>((r) => t.write(m.serialize(), r));
    expect(t.buffer.active.type).toBe('alternate');
    expect(t.buffer.active.getLine(0)!.translateToString(true)).toBe('EDITOR CONTENT');
  });

  it('keeps a multibyte character split across chunks', async () => {
    const text = Buffer.from('ünïcødé ✓\r\n');
    const m = await mirrorOf([text.subarray(0, 2), text.subarray(2, 9), text.subarray(9)]);
    expect((await render(m.serialize()))[0]).toBe('ünïcødé ✓');
  });

  it('trims a plain-text flood without changing the final screen', async () => {
    const flood = lines(0, 50_000);
    const trimmed = await mirrorOf([flood, Buffer.from('$ ')], { trimAboveBytes: 64 * 1024 });
    const full = await mirrorOf([flood, Buffer.from('$ ')], { trimAboveBytes: Number.MAX_SAFE_INTEGER });
    expect(trimmed.droppedBytes).toBeGreaterThan(flood.length / 2);
    expect(full.droppedBytes).toBe(0);
    expect(trimmed.serialize()).toBe(full.serialize());
    const shown = await render(trimmed.serialize());
    expect(shown.at(-2)).toBe('line 49999');
  });

  it('does not trim across escape sequences, so colours set in the flood survive', async () => {
    const flood = Buffer.concat([Buffer.from('\x1b[32m'), lines(0, 20_000), Buffer.from('$ ')]);
    const m = await mirrorOf([flood], { trimAboveBytes: 64 * 1024 });
    expect(m.droppedBytes).toBe(0);
    expect(m.serialize()).toContain('\x1b[32m');
  });

  it('does not trim while a scroll region is set', async () => {
    const m = await mirrorOf([Buffer.from('\x1b[2;10r')]);
    m.feed(lines(0, 20_000));
    await m.flush();
    expect(m.droppedBytes).toBe(0);
  });

  it('recognises C1 controls but not ordinary UTF-8 continuation bytes', () => {
    expect(hasStatefulByte(Buffer.from('plain ě text\r\n'))).toBe(false);
    expect(hasStatefulByte(Buffer.from('\u009b31m'))).toBe(true);
    expect(hasStatefulByte(Buffer.from('a\x1bb'))).toBe(true);
  });

  it('reflows finished lines to a new size, as the browser terminal does', async () => {
    const m = await mirrorOf([Buffer.from('x'.repeat(100) + '\r\n$ ')], { cols: 120 });
    m.resize(50, 24);
    expect([m.cols, m.rows]).toEqual([50, 24]);
    const shown = await render(m.serialize(), 50, 24);
    expect(shown[0]).toBe('x'.repeat(50));
    expect(shown[1]).toBe('x'.repeat(50));
  });
});
