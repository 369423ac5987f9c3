// A browser terminal's text, for assertions: the WebGL renderer draws on a canvas, so the spec reads xterm's buffer
// (the Terminal instance the widget hangs on its host element as pwTerminal) instead of the DOM.
import type { Page } from '@playwright/test';

/** The terminal's buffer as text lines, trailing blank lines dropped. */
export async function screenLines(page: Page, target: string): Promise<string[]> {
  return page.evaluate((t) => {
    const host = document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as
      | (HTMLElement & {
          pwTerminal?: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
        })
      | null;
    const buf = host?.pwTerminal?.buffer.active;
    if (!buf) return [];
    const lines: string[] = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
    while (lines.length && lines.at(-1) === '') lines.pop();
    return lines;
  }, target);
}
