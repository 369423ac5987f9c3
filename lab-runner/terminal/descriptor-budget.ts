// Terminals must never take the descriptors the HTTP server needs. Each open shell holds about three (the browser's
// socket, the hijacked Docker exec stream, and a spare for its hang-up exec or a resize call); upgrades being
// authorized and the shared Docker call bound hold one each. This caps TERMINAL_MAX_SESSIONS to what the process's
// open-file limit allows with HTTP_HEADROOM descriptors left over for pages, API calls, SQLite and Docker.
import { readFileSync } from 'node:fs';

export const DESCRIPTORS_PER_SESSION = 3;
export const HTTP_HEADROOM = 1024;

/** The soft RLIMIT_NOFILE of this process (Linux /proc), or undefined when it cannot be read or is unlimited. */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  return m && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
}

/** The number of shells this process can afford: the configured maximum, lowered when the descriptor limit is tighter. */
export function affordableSessions(configured: number, fixedDescriptors: number, limit = openFileLimit()): number {
  if (limit === undefined) return configured;
  return Math.max(1, Math.min(configured, Math.floor((limit - HTTP_HEADROOM - fixedDescriptors) / DESCRIPTORS_PER_SESSION)));
}
