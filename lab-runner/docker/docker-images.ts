// Images: inspect, pull, build (from a context directory), import (a rootfs tarball), save, remove.
import type Docker from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { LabRunnerError } from '../errors.ts';
import type { BuildImageOptions, ImageInfo, ProgressFn } from '../runtime/container-runtime.ts';
import { dockerCall, idempotentDockerCall, statusCodeOf } from './docker-call.ts';

export async function inspectImage(docker: Docker, ref: string): Promise<ImageInfo | undefined> {
  try {
    const i = await dockerCall('image inspect', { image: ref }, () => docker.getImage(ref).inspect());
    return { id: i.Id, tags: i.RepoTags ?? [], labels: i.Config?.Labels ?? {}, sizeBytes: i.Size };
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

type ProgressEvent = { stream?: string; status?: string; progress?: string; id?: string; error?: string; errorDetail?: { message?: string } };

/** Follows a JSON-lines progress stream (pull/build/import), forwarding readable lines and failing on an "error" event. */
function followProgress(docker: Docker, stream: Readable, what: string, onProgress?: ProgressFn): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: ProgressEvent[]) => {
        const failed = err ?? events.find((e) => e.error);
        if (failed)
          reject(
            new LabRunnerError('image-failed', `${what} failed: ${failed instanceof Error ? failed.message : (failed.errorDetail?.message ?? failed.error)}`),
          );
        else resolve();
      },
      (e: ProgressEvent) => {
        if (!onProgress) return;
        if (e.stream) {
          for (const line of e.stream.split('\n')) if (line.trim()) onProgress(line.trimEnd());
        } else if (e.status && !e.progress) onProgress(`${e.id ? `${e.id}: ` : ''}${e.status}`);
        else if (e.error) onProgress(`error: ${e.error}`);
      },
    );
  });
}

export async function pullImage(docker: Docker, ref: string, onProgress?: ProgressFn): Promise<void> {
  const stream = (await dockerCall('image pull', { image: ref }, () => docker.pull(ref))) as Readable;
  await followProgress(docker, stream, `Pulling ${ref}`, onProgress);
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((d) => {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    return d.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

export async function buildImage(docker: Docker, opts: BuildImageOptions, onProgress?: ProgressFn): Promise<void> {
  const src = listFiles(opts.contextDir);
  const stream = (await dockerCall('image build', { tag: opts.tag, context: opts.contextDir }, () =>
    docker.buildImage(
      { context: opts.contextDir, src },
      { t: opts.tag, dockerfile: opts.dockerfile ?? 'Dockerfile', buildargs: opts.buildArgs, labels: opts.labels, rm: true, forcerm: true },
    ),
  )) as Readable;
  await followProgress(docker, stream, `Building ${opts.tag}`, onProgress);
}

export async function importImage(docker: Docker, rootfsTar: Readable, tag: string, onProgress?: ProgressFn): Promise<void> {
  const [repo, version] = splitTag(tag);
  const stream = (await dockerCall('image import', { tag }, () => docker.importImage(rootfsTar, { repo, tag: version }))) as Readable;
  await followProgress(docker, stream, `Importing ${tag}`, onProgress);
}

export function splitTag(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}

export async function saveImage(docker: Docker, ref: string, opts: { platform?: { os: string; architecture: string } } = {}): Promise<Readable> {
  if (!opts.platform) return (await dockerCall('image save', { image: ref }, () => docker.getImage(ref).get())) as Readable;
  // dockerode's image.get() takes no query; the platform filter (API 1.48) needs the raw call.
  const platform = JSON.stringify(opts.platform);
  return (await dockerCall(
    'image save',
    { image: ref, platform },
    () =>
      new Promise<Readable>((resolve, reject) =>
        docker.modem.dial(
          {
            path: `/images/${ref}/get?`,
            method: 'GET',
            options: { platform },
            isStream: true,
            statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
          },
          (err: unknown, data: unknown) => (err ? reject(err as Error) : resolve(data as Readable)),
        ),
      ),
  )) as Readable;
}

export async function removeImage(docker: Docker, ref: string): Promise<void> {
  await idempotentDockerCall('image remove', { image: ref }, [404], () => docker.getImage(ref).remove({ force: true }));
}
