import { describe, expect, it } from 'vitest';
import { classifyChunk, penAfter } from '../../../lab-runner/terminal/escape-scan.ts';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('classifyChunk', () => {
  it.each([
    ['plain text', 'hello\r\nworld ě ✓\r\n', true, false],
    ['colours and erase-line', '\x1b[1;32mok\x1b[0m \x1b[K\r\n', true, false],
    ['cursor moves', '\x1b[2A\x1b[10G\x1b[H', true, false],
    ['a mode change', '\x1b[?2004h$ ', false, false],
    ['a scroll region', '\x1b[1;10r', false, false],
    ['a title (OSC)', '\x1b]0;title\x07', false, false],
    ['a charset shift', 'a\x0eb', false, false],
    ['a C1 CSI', '\u009b31m', false, false],
    ['an escape cut at the end', 'text\x1b[3', false, true],
    ['a lone ESC at the end', 'text\x1b', false, true],
    ['an OSC without its terminator', '\x1b]0;tit', false, true],
  ])('%s', (_name, text, lineLocal, endsOpen) => {
    expect(classifyChunk(b(text))).toEqual({ lineLocal, endsOpen });
  });
});

describe('penAfter', () => {
  it('keeps the SGR sequences after the last full reset', () => {
    expect(penAfter(b('\x1b[31mred\x1b[0m plain \x1b[1mbold\x1b[34m blue\r\n'))!.toString()).toBe('\x1b[0m\x1b[1m\x1b[34m');
    expect(penAfter(b('\x1b[31mred \x1b[1mbold\r\n'))!.toString()).toBe('\x1b[31m\x1b[1m');
    expect(penAfter(b('no colour at all\r\n'))!.length).toBe(0);
  });

  it('refuses regions with lasting state changes', () => {
    expect(penAfter(b('\x1b[?25l hidden cursor\r\n'))).toBeUndefined();
  });
});

describe('penAfter against a sequence-by-sequence reference', () => {
  /** The definition, one escape at a time: undefined on anything but text and complete line-local CSIs. */
  function reference(region: Buffer): Buffer | undefined {
    if (region.includes(0x0e) || region.includes(0x0f)) return undefined;
    for (let i = 0; i + 1 < region.length; i++) if (region[i] === 0xc2 && region[i + 1]! >= 0x80 && region[i + 1]! <= 0x9f) return undefined;
    let kept: Buffer[] = [];
    for (let i = 0; i < region.length; i++) {
      if (region[i] !== 0x1b) continue;
      if (region[i + 1] !== 0x5b) return undefined;
      let j = i + 2;
      while (j < region.length && region[j]! >= 0x30 && region[j]! <= 0x3b) j++;
      if (j >= region.length || !'mKJGCDABHfXP@EFd`ae'.includes(String.fromCharCode(region[j]!))) return undefined;
      if (region[j] === 0x6d) {
        const params = region.subarray(i + 2, j).toString('latin1');
        if (params === '' || params === '0') kept = [];
        kept.push(region.subarray(i, j + 1));
      }
      i = j;
    }
    return Buffer.concat(kept);
  }

  it('agrees on 3000 random regions of text, SGRs, resets, other CSIs, modes, C1 and cut sequences', () => {
    let seed = 7;
    // A 32-bit LCG in integer arithmetic (a float one loses precision and cycles through a few values).
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 16) % n);
    const parts = [
      'ab',
      ' ',
      'ü✓',
      '\r\n',
      '\x1b[31m',
      '\x1b[1;4m',
      '\x1b[0m',
      '\x1b[m',
      '\x1b[38:5:200m',
      '\x1b[K',
      '\x1b[2J',
      '\x1b[10;3H',
      '\x1b[?25l',
      '\x1b[>4;2m',
      '\x1b[<1m',
      '\x1b[1;10r',
      '\x1b]0;t\x07',
      '\x1b(B',
      '\x0e',
      '\u009b',
      '\x1b[3',
      '\x1b',
    ];
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: 1 + rand(12) }, () => parts[rand(n % 3 === 0 ? parts.length : 10)]).join('');
      const region = Buffer.from(text, 'utf8');
      const got = penAfter(region);
      const want = reference(region);
      expect(got === undefined ? undefined : got.toString('latin1'), JSON.stringify(text)).toBe(want === undefined ? undefined : want.toString('latin1'));
    }
  });
});
