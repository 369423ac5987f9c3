// Non-TTY exec: the script travels on stdin (nothing lands on disk where a learner could read it),
// output is demultiplexed and capped, and the timeout really kills: the command runs under
// GNU `timeout -k 1 <secs>` (which signals its whole process group, then SIGKILLs after 1 s),
// and a server-side deadline gives up on the stream should even that not end it.
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { ExecOptions, ExecResult } from '../runtime/container-runtime.ts';
import { dockerCall } from './docker-call.ts';
import { execCreateOptions, waitForExitCode } from './exec-common.ts';
import { CappedBuffer, StreamDemuxer } from './stream-demuxer.ts';

export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** How long past the in-container timeout (+ its 1 s kill grace) we wait before abandoning the stream. */
const SERVER_DEADLINE_SLACK_MS = 3_000;

/** The command as it runs in the container, wrapped in GNU timeout. */
export function wrapWithTimeout(cmd: string[], timeoutMs: number): string[] {
  const seconds = Math.max(0.1, timeoutMs / 1000);
  return ['timeout', '-k', '1', `${Number(seconds.toFixed(3))}s`, ...cmd];
}

export async function runExec(docker: Docker, containerId: string, opts: ExecOptions): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const started = performance.now();
  const env = { LANG: 'C.UTF-8', ...(opts.env ?? {}) };
  const exec = await dockerCall('exec create', { container: containerId, cmd: opts.cmd[0] }, () =>
    docker.getContainer(containerId).exec(
      execCreateOptions({
        cmd: wrapWithTimeout(opts.cmd, timeoutMs),
        env,
        user: opts.user,
        workdir: opts.workdir,
        tty: false,
        privileged: opts.privileged ?? false,
      }),
    ),
  );
  const stream = (await dockerCall('exec start', { container: containerId, exec: exec.id }, () =>
    exec.start({ hijack: true, stdin: true }),
  )) as unknown as Duplex;

  const stdout = new CappedBuffer(maxBytes);
  const stderr = new CappedBuffer(maxBytes);
  const demux = new StreamDemuxer((which, payload) => (which === 'stdout' ? stdout : stderr).add(payload));

  let abandoned = false;
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(
      () => {
        abandoned = true;
        stream.destroy();
        resolve();
      },
      timeoutMs + 1000 + SERVER_DEADLINE_SLACK_MS,
    );
    const finish = (err?: Error) => {
      clearTimeout(deadline);
      if (err && !abandoned) reject(err);
      else resolve();
    };
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.once('end', () => finish());
    stream.once('close', () => finish());
    stream.once('error', (err) => finish(err));
    // Half-close after the script: the process sees EOF on stdin, and commands that read stdin never hang.
    if (opts.stdin !== undefined && opts.stdin.length > 0) stream.end(opts.stdin);
    else stream.end();
  });

  // The stream can end a moment before the engine records the exit code.
  const exitCode = abandoned
    ? -1
    : await waitForExitCode(exec, 'exec inspect', 10, (err) => {
        throw err;
      });
  const durationMs = performance.now() - started;
  // GNU timeout exits 124 (TERM worked) or 137 (needed the KILL); only count it when the clock agrees.
  const timedOut = abandoned || ((exitCode === 124 || exitCode === 137) && durationMs >= timeoutMs - 50);
  return {
    exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    durationMs: Math.round(durationMs * 10) / 10,
    timedOut,
    truncated: stdout.truncated || stderr.truncated,
  };
}
