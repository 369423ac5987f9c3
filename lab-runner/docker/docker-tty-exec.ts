// Interactive exec with a pseudo-terminal, for browser terminals: raw bytes both ways (a TTY stream is not multiplexed).
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { TtyExec, TtyExecOptions } from '../runtime/container-runtime.ts';
import { dockerCall, dockerLog, statusCodeOf } from './docker-call.ts';
import { execCreateOptions, waitForExitCode } from './exec-common.ts';

export async function runTtyExec(docker: Docker, containerId: string, opts: TtyExecOptions): Promise<TtyExec> {
  const env = { TERM: 'xterm-256color', LANG: 'C.UTF-8', COLORTERM: 'truecolor', ...(opts.env ?? {}) };
  const exec = await dockerCall('exec create (tty)', { container: containerId, cmd: opts.cmd[0] }, () =>
    docker.getContainer(containerId).exec(execCreateOptions({ cmd: opts.cmd, env, user: opts.user, workdir: opts.workdir, tty: true })),
  );
  const stream = (await dockerCall('exec start (tty)', { container: containerId, exec: exec.id }, () =>
    exec.start({ hijack: true, stdin: true, Tty: true }),
  )) as unknown as Duplex;

  const resize = async (cols: number, rows: number) => {
    try {
      await dockerCall('exec resize', { exec: exec.id }, () => exec.resize({ w: cols, h: rows }));
    } catch (err) {
      // A resize racing the process's exit is harmless.
      if (statusCodeOf(err) === 404 || statusCodeOf(err) === 409 || statusCodeOf(err) === 500) dockerLog.debug('exec resize ignored', { exec: exec.id });
      else throw err;
    }
  };
  await resize(opts.cols, opts.rows);

  const exited = new Promise<number>((resolve) => {
    let done = false;
    const onEnd = async () => {
      if (done) return;
      done = true;
      resolve(await waitForExitCode(exec, 'exec inspect (tty)', 20, () => -1));
    };
    stream.once('end', onEnd);
    stream.once('close', onEnd);
    stream.once('error', onEnd);
  });

  return { id: exec.id, stream, resize, exited };
}
