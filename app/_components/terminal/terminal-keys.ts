// Copy and paste that work the way learners expect in a browser terminal:
//   Ctrl+Shift+C / Ctrl+Shift+V (Linux terminals), Cmd+C / Cmd+V (macOS, handled natively by the browser),
//   Ctrl+C with a selection copies instead of interrupting, Ctrl+V pastes (the shell's "literal next" is rarely wanted),
//   Ctrl+Shift+F opens search.
import type { Terminal } from '@xterm/xterm';

export interface KeyActions {
  openSearch: () => void;
  /** Announce something to screen readers / the toolbar (e.g. "Copied"). */
  notify: (message: string) => void;
}

export async function copySelection(term: Terminal, notify: (m: string) => void): Promise<void> {
  const text = term.getSelection();
  if (!text) return;
  try {
    await navigator.clipboard.writeText(text);
    notify('Copied');
  } catch {
    notify('Copy failed: the browser blocked clipboard access');
  }
}

export async function pasteClipboard(term: Terminal, notify: (m: string) => void): Promise<void> {
  try {
    const text = await navigator.clipboard.readText();
    if (text) term.paste(text);
  } catch {
    notify('Paste with Ctrl+V (or ⌘V): the browser blocked clipboard reading');
  }
}

export function installKeyHandler(term: Terminal, actions: KeyActions): void {
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== 'keydown') return true;
    const key = e.key.toLowerCase();
    const ctrlOnly = e.ctrlKey && !e.altKey && !e.metaKey;
    if (ctrlOnly && e.shiftKey && key === 'c') {
      e.preventDefault();
      void copySelection(term, actions.notify);
      return false;
    }
    if (ctrlOnly && e.shiftKey && key === 'v') {
      e.preventDefault();
      void pasteClipboard(term, actions.notify);
      return false;
    }
    if (ctrlOnly && e.shiftKey && key === 'f') {
      e.preventDefault();
      actions.openSearch();
      return false;
    }
    if (ctrlOnly && !e.shiftKey && key === 'c' && term.hasSelection()) {
      e.preventDefault();
      void copySelection(term, actions.notify);
      term.clearSelection();
      return false;
    }
    // Let the browser raise its paste event, which xterm turns into (bracketed) input.
    if (ctrlOnly && !e.shiftKey && key === 'v') return false;
    return true;
  });
}
