// Helper functions prepended to every check, invariant, setup step and solution at run time (documented in docs/challenges.md).
// They live in check-preamble.sh, plain bash, so a script stays valid bash and can be tried by hand:
//   cat lab-runner/grader/check-preamble.sh my-check.sh | docker exec -i <node> bash -s
import { readFileSync } from 'node:fs';

export const CHECK_PREAMBLE = readFileSync(new URL('./check-preamble.sh', import.meta.url), 'utf8');

/**
 * The exec command for a script sent on stdin. Bash reads the whole script before running any of it, so a command in the
 * script that reads stdin (cat, read, kubectl apply -f -) sees EOF instead of eating the rest of the script - the
 * pitfall of plain "bash -s". The script never touches the lab's disk and never appears in argv (so not in `ps`).
 */
export const SCRIPT_COMMAND: readonly string[] = ['bash', '-c', '__pw_script=$(cat) && exec </dev/null && eval "unset __pw_script; $__pw_script"'];

export function withPreamble(script: string): string {
  return `${CHECK_PREAMBLE}\n${script}\n`;
}
