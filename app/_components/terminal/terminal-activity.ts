// "Something happened in a terminal of lab L": announced by the terminal connection when output arrives (the shell
// echoed a keystroke, a command printed or finished), at most every ACTIVITY_EVERY_MS. The map listens and refreshes
// (debounced) instead of polling tightly. A window event, so the terminal and the map need not know each other.
const EVENT = 'pw-terminal-activity';
const ACTIVITY_EVERY_MS = 100;
const last = new Map<string, number>();

export function announceTerminalActivity(labId: string): void {
  const now = Date.now();
  if (now - (last.get(labId) ?? 0) < ACTIVITY_EVERY_MS) return;
  last.set(labId, now);
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: labId }));
}

export function onTerminalActivity(labId: string, listener: () => void): () => void {
  const handler = (e: Event) => {
    if ((e as CustomEvent<string>).detail === labId) listener();
  };
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}
