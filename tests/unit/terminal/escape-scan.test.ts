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
