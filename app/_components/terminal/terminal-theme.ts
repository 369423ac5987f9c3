// Terminal colours that match the site's light and dark themes (globals.css), with ANSI palettes that stay
// readable on each background (GitHub's terminal palettes, which meet contrast on these backgrounds).
import type { ITheme } from '@xterm/xterm';

export type SiteTheme = 'light' | 'dark';

export const terminalThemes: Record<SiteTheme, ITheme> = {
  light: {
    background: '#fbfcfd',
    foreground: '#16191f',
    cursor: '#1f5fd6',
    cursorAccent: '#ffffff',
    selectionBackground: 'rgba(31, 95, 214, 0.22)',
    black: '#24292f',
    red: '#cf222e',
    green: '#116329',
    yellow: '#7d4e00',
    blue: '#0969da',
    magenta: '#8250df',
    cyan: '#1b7c83',
    white: '#6e7781',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#1a7f37',
    brightYellow: '#633c01',
    brightBlue: '#218bff',
    brightMagenta: '#a475f9',
    brightCyan: '#3192aa',
    brightWhite: '#8c959f',
  },
  dark: {
    background: '#0d1117',
    foreground: '#e6ebf1',
    cursor: '#6ea8ff',
    cursorAccent: '#0d1117',
    selectionBackground: 'rgba(110, 168, 255, 0.3)',
    black: '#484f58',
    red: '#ff7b72',
    green: '#3fb950',
    yellow: '#d29922',
    blue: '#58a6ff',
    magenta: '#bc8cff',
    cyan: '#39c5cf',
    white: '#b1bac4',
    brightBlack: '#6e7681',
    brightRed: '#ffa198',
    brightGreen: '#56d364',
    brightYellow: '#e3b341',
    brightBlue: '#79c0ff',
    brightMagenta: '#d2a8ff',
    brightCyan: '#56d4dd',
    brightWhite: '#f0f6fc',
  },
};

export function currentSiteTheme(): SiteTheme {
  return document.documentElement.getAttribute('data-theme') === 'dark' ? 'dark' : 'light';
}

/** Calls back whenever the site theme toggles (the theme toggle sets data-theme on <html>). */
export function watchSiteTheme(onChange: (theme: SiteTheme) => void): () => void {
  const observer = new MutationObserver(() => onChange(currentSiteTheme()));
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
