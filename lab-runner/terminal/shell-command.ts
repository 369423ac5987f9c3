// The shell a terminal runs, and how to end it for sure.

/** Login shell in the home directory: bash when the image has it, else sh. */
export function shellCommand(): string[] {
  return ['/bin/sh', '-c', 'cd ~ 2>/dev/null; if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];
}

/** UTF-8 locale (so multibyte characters render), a terminal type xterm.js implements, and a marker to find the shell by. */
export function shellEnv(sessionId: string): Record<string, string> {
  return { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm-256color', COLORTERM: 'truecolor', PW_TERMINAL: sessionId };
}

/**
 * Sends SIGHUP to every process whose environment carries PW_TERMINAL=<id> (the shell and what it started),
 * like closing a terminal window. The id comes in through the env (PW_KILL_TERMINAL), never through the script.
 */
export function killShellCommand(): string[] {
  return [
    '/bin/sh',
    '-c',
    'for p in /proc/[0-9]*; do ' +
      'if tr "\\0" "\\n" < "$p/environ" 2>/dev/null | grep -qxF "PW_TERMINAL=$PW_KILL_TERMINAL"; then kill -HUP "${p#/proc/}" 2>/dev/null; fi; ' +
      'done; exit 0',
  ];
}
