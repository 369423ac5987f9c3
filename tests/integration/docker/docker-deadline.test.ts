// Docker calls that hang get a deadline (DOCKER_CALL_TIMEOUT). A hung runc blocks dockerd on every call touching
// that container; simulated here by an engine socket that accepts connections and never answers. The call fails
// with DockerTimeoutError naming the action, and a lab whose node start hangs fails with that error and leaves no
// container or network behind (its teardown goes to the real engine, which answers).
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setDockerCallDeadline } from '../../../lab-runner/docker/docker-call.ts';
import { DockerRuntime } from '../../../lab-runner/docker/docker-runtime.ts';
import { DockerTimeoutError } from '../../../lab-runner/errors.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

describe('deadline on Docker calls', () => {
  let server: net.Server;
  let socketPath: string;
  const held: net.Socket[] = [];
  let hung: DockerRuntime;
  let t: TestEngine | undefined;

  beforeAll(async () => {
    socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-hung-')), 'docker.sock');
    server = net.createServer((s) => held.push(s)); // reads the request, never answers
    await new Promise<void>((r) => server.listen(socketPath, r));
    // The Docker client reads DOCKER_HOST when it is built, like the Docker CLI.
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socketPath}`;
    hung = new DockerRuntime();
    if (before === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = before;
  });
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
    setDockerCallDeadline(60_000);
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('a call to an engine that never answers fails after the deadline, naming the action and the object', async () => {
    setDockerCallDeadline(300);
    const t0 = performance.now();
    const err = await hung.startContainer('abc123').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerTimeoutError);
    expect((err as Error).message).toMatch(/"container start" \(container=abc123\) within 0 s.*runc/);
    expect(performance.now() - t0).toBeLessThan(3_000);
  });

  it('image builds and transfers have no deadline (they legitimately take minutes)', async () => {
    setDockerCallDeadline(200);
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-ctx-'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    const build = hung.buildImage({ contextDir: context, tag: 'pw-never:latest' });
    const outcome = await Promise.race([
      build.then(
        () => 'done',
        (e: Error) => `failed: ${e.message}`,
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 800)),
    ]);
    expect(outcome).toBe('still waiting');
    build.catch(() => undefined);
  });

  it('a lab whose node start hangs fails with the timeout and leaves nothing behind', async () => {
    const real = new DockerRuntime();
    let starts = 0;
    // The real engine for everything except the second node's start, which goes to the engine that never answers.
    const runtime = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'startContainer') return (id: string) => (++starts === 2 ? hung.startContainer(id) : real.startContainer(id));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as ContainerRuntime;
    t = makeTestEngine({ DOCKER_CALL_TIMEOUT: 1_500 }, { runtime });
    const err = await t.engine.labs.create({ template: 'nodes-2', learnerId: 'hang' }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/did not answer "container start"/);
    expect(await t.labelled()).toEqual({ containers: [], networks: [] });
  });
});
