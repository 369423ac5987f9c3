// Runs once before the integration tests: the Docker engine must answer (else a clear message on how to start it
// or set DOCKER_HOST), and every image the "nodes" sandboxes use must be built (skipped when up to date; the first
// build on a machine without a registry runs debootstrap, about a minute).
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';
import { DockerUnavailableError } from '../../lab-runner/errors.ts';
import { ensureImages } from '../../lab-runner/images/ensure-images.ts';

export default async function setup(): Promise<void> {
  const runtime = new DockerRuntime();
  try {
    await runtime.ping();
  } catch (err) {
    if (err instanceof DockerUnavailableError) {
      throw new Error(`Integration tests need a Docker engine.\n${err.message}`, { cause: err });
    }
    throw err;
  }
  const started = performance.now();
  const reports = await ensureImages(runtime, {
    runtimes: ['nodes'],
    onProgress: (line) => process.stdout.write(`[images] ${line}\n`),
  });
  const failed = reports.filter((r) => r.action === 'failed');
  if (failed.length) throw new Error(`Could not build test images:\n${failed.map((r) => `  ${r.image}: ${r.detail}`).join('\n')}`);
  const built = reports.filter((r) => r.action === 'built');
  if (built.length) process.stdout.write(`[images] built ${built.map((r) => r.image).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
