// Build-time syntax highlighting: one shiki highlighter per process, with only the languages lessons use.
// The JavaScript regex engine avoids loading WebAssembly inside Next's server bundle.
import { createHighlighter } from 'shiki';
import type { HighlighterGeneric } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

/** Languages a fenced code block may name. "text" (also "plaintext", "txt") means no highlighting. */
export const codeLanguages = [
  'bash',
  'sh',
  'shell',
  'console',
  'shellsession',
  'yaml',
  'json',
  'jsonc',
  'diff',
  'ini',
  'toml',
  'go',
  'python',
  'javascript',
  'typescript',
  'dockerfile',
  'nginx',
  'properties',
  'log',
  'makefile',
  'xml',
  'html',
  'css',
  'sql',
] as const;

export const plainLanguages = ['text', 'plaintext', 'txt'] as const;

// The GitHub "default" palettes meet WCAG AA contrast on our code background; the classic ones do not.
export const codeThemes = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** Code block backgrounds (app/globals.css --code-bg); token colours are adjusted to stay readable on them. */
export const codeBackgrounds = { light: '#f6f8fa', dark: '#11161d' } as const;
const MIN_CONTRAST = 4.6;

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Moves a token colour toward black (light theme) or white (dark theme) until it meets WCAG AA on the code background. */
export function readableOn(colour: string, background: string, towards: 'black' | 'white'): string {
  if (!/^#[0-9a-f]{6}$/i.test(colour)) return colour;
  let c = colour.toLowerCase();
  for (let step = 0; step < 20 && contrast(c, background) < MIN_CONTRAST; step++) {
    const channels = [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    c =
      '#' +
      channels
        .map((v) =>
          Math.round(towards === 'black' ? v * 0.92 : v + (255 - v) * 0.12)
            .toString(16)
            .padStart(2, '0'),
        )
        .join('');
  }
  return c;
}

/** Rewrites a shiki span style ("--shiki-light:#6E7781;--shiki-dark:#8B949E") so both colours pass AA. */
export function readableTokenStyle(style: string): string {
  return style
    .replace(/(--shiki-light:\s*)(#[0-9a-fA-F]{6})/, (_, p: string, c: string) => p + readableOn(c, codeBackgrounds.light, 'black'))
    .replace(/(--shiki-dark:\s*)(#[0-9a-fA-F]{6})/, (_, p: string, c: string) => p + readableOn(c, codeBackgrounds.dark, 'white'));
}

export function isKnownLanguage(lang: string): boolean {
  return (codeLanguages as readonly string[]).includes(lang) || (plainLanguages as readonly string[]).includes(lang);
}

type Highlighter = HighlighterGeneric<string, string>;
const KEY = Symbol.for('packetwalk.shiki');
type Holder = { [KEY]?: Promise<Highlighter> };

/** Shared across module instances (Next bundles this file into several server chunks). */
export function getHighlighter(): Promise<Highlighter> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createHighlighter({
    themes: Object.values(codeThemes),
    langs: [...codeLanguages],
    engine: createJavaScriptRegexEngine(),
  }) as Promise<Highlighter>;
  return holder[KEY];
}
