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
