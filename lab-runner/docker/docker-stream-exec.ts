// Long-lived non-TTY exec: stdin stays open, stdout and stderr are demultiplexed into two streams. For a process that
// answers many requests over one exec (the grader's check channel), so the per-exec cost (runc init in the container,
// the daemons' bookkeeping) is paid once instead of once per request. Nothing wraps the command in a timeout: the
// caller owns the process's lifetime (close(), or a kill of its own).
import type Docker from 'dockerode';
import { PassThrough, Writable } from 'node:stream';
import type { Duplex } from 'node:stream';
import type { StreamExec, StreamExecOptions } from '../runtime/container-runtime.ts';
import { dockerCall, dockerLog } from './docker-call.ts';
import { execCreateOptions, waitForExitCode } from './exec-common.ts';
import { StreamDemuxer } from './stream-demuxer.ts';

/** Unread stderr beyond this is dropped (nobody has to read it). */
const STDERR_BUFFER_BYTES = 64 * 1024;
/** After close(), how long the process may take to end on its EOF before the connection is dropped anyway. */
const CLOSE_GRACE_MS = 2_000;

export async function runStreamExec(docker: Docker, containerId: string, opts: StreamExecOptions): Promise<StreamExec> {
  const env = { LANG: 'C.UTF-8', ...(opts.env ?? {}) };
  const exec = await dockerCall('exec create (stream)', { container: containerId, cmd: opts.cmd[0] }, () =>
    docker.getContainer(containerId).exec(execCreateOptions({ cmd: opts.cmd, env, user: opts.user, workdir: opts.workdir, tty: false })),
  );
  const socket = (await dockerCall('exec start (stream)', { container: containerId, exec: exec.id }, () =>
    exec.start({ hijack: true, stdin: true }),
  )) as unknown as Duplex;

  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const demux = new StreamDemuxer((which, payload) => {
    if (which === 'stdout') stdout.write(payload);
    else if (stderr.writableLength < STDERR_BUFFER_BYTES) stderr.write(payload);
  });
  socket.on('data', (chunk: Buffer) => demux.push(chunk));

  // Writes go straight to the connection; end() half-closes it, which the engine turns into EOF on the process's stdin.
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (socket.destroyed || socket.writableEnded) return cb(new Error(`exec ${exec.id} has ended; its stdin is closed`));
      socket.write(chunk, (err) => cb(err ?? null));
    },
    final(cb) {
      if (!socket.destroyed && !socket.writableEnded) socket.end();
      cb();
    },
  });
  // A write racing the process's end must not become an unhandled 'error' event.
  stdin.on('error', (err) => dockerLog.debug('exec stdin (stream) failed', { exec: exec.id, error: err.message }));

  const exited = new Promise<number>((resolve) => {
    let done = false;
    const onEnd = async (err?: Error) => {
      if (done) return;
      done = true;
      if (err) dockerLog.debug('exec stream (stream) failed', { container: containerId, exec: exec.id, error: err.message });
      stdout.end();
      stderr.end();
      if (!stdin.writableEnded) stdin.destroy();
      // The connection can end a moment before the engine records the exit code.
      resolve(
        await waitForExitCode(exec, 'exec inspect (stream)', 20, (e) => {
          dockerLog.warn('exec inspect (stream) failed', { exec: exec.id, error: (e as Error).message });
          return -1;
        }),
      );
    };
    socket.once('end', () => void onEnd());
    socket.once('close', () => void onEnd());
    socket.once('error', (err: Error) => void onEnd(err));
  });

  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    if (!stdin.writableEnded && !stdin.destroyed) stdin.end();
    const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    grace.unref();
    void exited.then(() => {
      clearTimeout(grace);
      socket.destroy();
    });
  };

  return { id: exec.id, stdin, stdout, stderr, exited, close };
}
