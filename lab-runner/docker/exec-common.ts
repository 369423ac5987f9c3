// What the three kinds of exec (one-shot, TTY, long-lived stream) share: the create options and the wait for the
// exit code the engine records a moment after the process's stream ends.
import type Docker from 'dockerode';
import { PollTimeoutError } from '../errors.ts';
import { constantBackoff } from '../util/backoff.ts';
import { done, notYet, pollUntil } from '../util/poll-until.ts';
import { dockerCall, statusCodeOf } from './docker-call.ts';

export interface ExecCreate {
  cmd: string[];
  env: Record<string, string>;
  user?: string;
  workdir?: string;
  tty: boolean;
  privileged?: boolean;
}

/** dockerode's options for `container.exec`: every stream attached, env as KEY=value. */
export function execCreateOptions(o: ExecCreate): Docker.ExecCreateOptions {
  return {
    Cmd: o.cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: o.tty,
    Env: Object.entries(o.env).map(([k, v]) => `${k}=${v}`),
    User: o.user,
    WorkingDir: o.workdir,
    ...(o.privileged !== undefined ? { Privileged: o.privileged } : {}),
  };
}

/**
 * The exec's exit code, polled (50 tries, `intervalMs` apart) until the engine has recorded it; -1 when it never does.
 * A 404/409 means the container went away and took the exec record with it: -1. Any other inspect error goes to
 * `onError`, which returns the code to report or throws.
 */
export async function waitForExitCode(exec: Docker.Exec, action: string, intervalMs: number, onError: (err: unknown) => number): Promise<number> {
  try {
    return await pollUntil(
      async () => {
        let info;
        try {
          info = await dockerCall(action, { exec: exec.id }, () => exec.inspect());
        } catch (err) {
          if (statusCodeOf(err) === 404 || statusCodeOf(err) === 409) return done(-1);
          return done(onError(err));
        }
        if (!info.Running && info.ExitCode !== null) return done(info.ExitCode);
        return notYet('the exec is still running');
      },
      { what: `the exit code of exec ${exec.id}`, maxAttempts: 50, backoff: constantBackoff(intervalMs) },
    );
  } catch (err) {
    if (err instanceof PollTimeoutError) return -1;
    throw err;
  }
}
