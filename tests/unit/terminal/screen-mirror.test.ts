import { describe, expect, it } from 'vitest';
import headless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { ScreenMirror } from '../../../lab-runner/terminal/screen-mirror.ts';

const { Terminal } = headless as unknown as { Terminal: typeof HeadlessTerminal };

async function mirrorOf(chunks: Buffer[], opts: { trimAboveBytes?: number; trim?: boolean; cols?: number; rows?: number } = {}) {
  const m = new ScreenMirror({ cols: opts.cols ?? 80, rows: opts.rows ?? 24, scrollback: 100, trimAboveBytes: opts.trimAboveBytes, trim: opts.trim });
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
    const full = await mirrorOf([flood, Buffer.from('$ ')], { trim: false });
    expect(trimmed.droppedBytes).toBeGreaterThan(flood.length / 2);
    expect(full.droppedBytes).toBe(0);
    expect(trimmed.serialize()).toBe(full.serialize());
    const shown = await render(trimmed.serialize());
    expect(shown.at(-2)).toBe('line 49999');
  });

  it('gives the same screen as parsing everything when a flood arrives in small chunks over many batches', async () => {
    const chunks: Buffer[] = [];
    for (let i = 0; i < 300; i++) chunks.push(lines(i * 100, i * 100 + 100));
    chunks.splice(150, 0, Buffer.from('\x1b[1;33mbold yellow from here\r\n'));
    chunks.push(Buffer.from('\x1b[0m$ '));
    const feedSlowly = async (m: ScreenMirror) => {
      for (const [i, c] of chunks.entries()) {
        m.feed(c);
        if (i % 25 === 0) await new Promise((r) => setTimeout(r, 45));
      }
      await m.flush();
      return m;
    };
    const trimmed = await feedSlowly(new ScreenMirror({ cols: 80, rows: 24, scrollback: 100 }));
    const full = await feedSlowly(new ScreenMirror({ cols: 80, rows: 24, scrollback: 100, trim: false }));
    expect(trimmed.droppedBytes).toBeGreaterThan(0);
    expect(trimmed.serialize()).toBe(full.serialize());
  });

  it('trims coloured floods too, keeping the pen they leave behind', async () => {
    const coloured = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `\x1b[1;3${i % 7}mline ${i}\x1b[0m \x1b[Kok\r\n`).join(''));
    const flood = Buffer.concat([coloured, Buffer.from('\x1b[4;35munderlined magenta\r\n'), lines(0, 500), Buffer.from('$ ')]);
    const trimmed = await mirrorOf([flood], { trimAboveBytes: 64 * 1024 });
    const full = await mirrorOf([flood], { trim: false });
    expect(trimmed.droppedBytes).toBeGreaterThan(coloured.length / 2);
    expect(trimmed.serialize()).toBe(full.serialize());
  });

  it('keeps trimming a coloured flood that arrives in socket-sized reads cut inside escape sequences', async () => {
    // Docker hands the gateway ~4 KiB reads; with lines of 19 bytes and two SGRs each, almost every read ends
    // inside a line and often inside an escape sequence. A partial line must not reach the parser mid-flood
    // (it would leave the parser inside an escape and block the next trim, so the mirror would parse it all).
    const flood = Buffer.from(Array.from({ length: 200_000 }, () => '\x1b[32mok\x1b[0m line\r\n').join(''));
    const run = async (trim: boolean) => {
      const m = new ScreenMirror({ cols: 80, rows: 24, scrollback: 100, trim });
      for (let at = 0, i = 0; at < flood.length; at += 4096, i++) {
        m.feed(flood.subarray(at, at + 4096));
        if (i % 4 === 3) await new Promise((r) => setTimeout(r, 1));
      }
      m.feed(Buffer.from('$ '));
      await m.flush();
      return m;
    };
    const trimmed = await run(true);
    expect(trimmed.droppedBytes).toBeGreaterThan(flood.length * 0.9);
    expect(trimmed.serialize()).toBe((await run(false)).serialize());
  });

  it('never stalls and matches full parsing under an irregular mix of floods, colours and mode changes', async () => {
    // A fixed pseudo-random schedule: chunk sizes, kinds and pauses vary like real output arriving from Docker.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces: { chunk: Buffer; waitMs: number }[] = [];
    let n = 0;
    for (let i = 0; i < 400; i++) {
      const kind = rand();
      const count = 1 + Math.floor(rand() * 3000);
      const text =
        kind < 0.5
          ? Array.from({ length: count }, () => `plain ${n++}\r\n`).join('')
          : kind < 0.9
            ? Array.from({ length: count }, () => `\x1b[3${n % 7}mcol ${n++}\x1b[0m\x1b[K\r\n`).join('')
            : `\x1b[?2004${rand() < 0.5 ? 'h' : 'l'}mode ${n++}\r\n`;
      const buf = Buffer.from(text);
      // Split like a socket would, sometimes inside an escape sequence.
      for (let at = 0; at < buf.length;) {
        const size = 1 + Math.floor(rand() * 8192);
        pieces.push({ chunk: buf.subarray(at, at + size), waitMs: rand() < 0.05 ? Math.floor(rand() * 60) : rand() < 0.3 ? -1 : 0 });
        at += size;
      }
    }
    const run = async (trim: boolean) => {
      const m = new ScreenMirror({ cols: 80, rows: 24, scrollback: 100, trimAboveBytes: 32 * 1024, trim });
      for (const p of pieces) {
        m.feed(p.chunk);
        if (p.waitMs > 0) await new Promise((r) => setTimeout(r, p.waitMs));
        else if (p.waitMs === 0) await new Promise((r) => setImmediate(r));
      }
      await Promise.race([
        m.flush(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`mirror stalled with ${m.backlog} bytes unparsed`)), 15_000)),
      ]);
      return m;
    };
    const trimmed = await run(true);
    const full = await run(false);
    expect(trimmed.droppedBytes).toBeGreaterThan(0);
    expect(trimmed.serialize()).toBe(full.serialize());
  }, 60_000);

  it('does not trim past a mode change (here: bracketed paste on)', async () => {
    const flood = Buffer.concat([Buffer.from('\x1b[?2004h'), lines(0, 20_000), Buffer.from('$ ')]);
    const m = await mirrorOf([flood], { trimAboveBytes: 64 * 1024 });
    expect(m.droppedBytes).toBe(0);
    expect(m.serialize()).toBe((await mirrorOf([flood], { trim: false })).serialize());
  });

  it('does not trim when an escape sequence is split across chunks', async () => {
    // The first chunk ends inside "ESC [ ? 1049 h" (switch to the alternate screen); the rest looks like plain text.
    const flood = Buffer.concat([Buffer.from('before\r\n\x1b'), Buffer.from('[?1049h'), lines(0, 20_000)]);
    const parts = [flood.subarray(0, 9), flood.subarray(9)];
    // The first part is parsed on its own (the parser is left mid-sequence) before the rest arrives.
    const inTwoGoes = async (trim: boolean) => {
      const m = new ScreenMirror({ cols: 80, rows: 24, scrollback: 100, trimAboveBytes: 64 * 1024, trim });
      m.feed(parts[0]!);
      await m.flush();
      m.feed(parts[1]!);
      await m.flush();
      return m;
    };
    const m = await inTwoGoes(true);
    expect(m.droppedBytes).toBe(0);
    expect(m.serialize()).toBe((await inTwoGoes(false)).serialize());
    const t = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
    await new Promise<void>((r) => t.write(m.serialize(), r));
    expect(t.buffer.active.type).toBe('alternate');
  });

  it('does not trim while a scroll region is set', async () => {
    const m = await mirrorOf([Buffer.from('\x1b[2;10r')]);
    m.feed(lines(0, 20_000));
    await m.flush();
    expect(m.droppedBytes).toBe(0);
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
