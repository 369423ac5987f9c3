// Follow a container's log until a line matches (kind nodes log "Reached target Multi-User System").
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { LabRunnerError } from '../errors.ts';
import { dockerCall } from './docker-call.ts';
import { StreamDemuxer } from './stream-demuxer.ts';

export async function waitForLog(docker: Docker, id: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const container = docker.getContainer(id);
  const info = await dockerCall('container inspect', { container: id }, () => container.inspect());
  const stream = (await dockerCall('container logs', { container: id }, () =>
    container.logs({ follow: true, stdout: true, stderr: true }),
  )) as unknown as Readable;
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const finish = (err?: Error) => {
      clearTimeout(timer);
      stream.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new LabRunnerError('log-timeout', `Container ${id} did not log ${pattern} within ${timeoutMs} ms. Last output:\n${seen.slice(-2000)}`)),
      timeoutMs,
    );
    const onText = (text: string) => {
      seen = (seen + text).slice(-64_000);
      if (pattern.test(seen)) finish();
    };
    const demux = new StreamDemuxer((_which, payload) => onText(payload.toString('utf8')));
    stream.on('data', (chunk: Buffer) => (info.Config.Tty ? onText(chunk.toString('utf8')) : demux.push(chunk)));
    stream.once('end', () => finish(new LabRunnerError('log-ended', `Container ${id} stopped before logging ${pattern}. Last output:\n${seen.slice(-2000)}`)));
    stream.once('error', (err) => finish(err));
  });
}
