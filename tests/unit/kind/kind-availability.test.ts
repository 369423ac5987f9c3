// test:kind and bench:kind run only where kind can: the image present, the preflight passing, --privileged allowed.
// Otherwise one line says why (and the suite skips), instead of a provisioning failure dressed up as a test failure.
import { describe, expect, it } from 'vitest';
import { kindAvailability } from '../../../lab-runner/kind/kind-availability.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import type { ContainerRuntime, EngineInfo } from '../../../lab-runner/runtime/container-runtime.ts';

const engine: EngineInfo = {
  serverVersion: '27.5.1',
  apiVersion: '1.47',
  memTotalBytes: 64 * 1024 ** 3,
  cgroupVersion: '2',
  cgroupDriver: 'systemd',
  securityOptions: [],
  runtimes: ['runc'],
  operatingSystem: 'Ubuntu 24.04',
  rootless: false,
};

function fake(over: Partial<EngineInfo>, startError?: string) {
  const removed: string[] = [];
  const runtime = {
    ping: async () => undefined,
    info: async () => ({ ...engine, ...over }),
    inspectImage: async (ref: string) => ({ id: 'x', tags: [ref], labels: {}, sizeBytes: 1 }),
    createContainer: async () => ({ id: 'probe' }),
    startContainer: async () => {
      if (startError) throw new Error(startError);
    },
    removeContainer: async (id: string) => void removed.push(id),
  } as unknown as ContainerRuntime;
  return { runtime, removed };
}

describe('kind availability', () => {
  it('a cgroup v1 host is not available, with the check that says why', async () => {
    const r = await kindAvailability(fake({ cgroupVersion: '1', cgroupDriver: 'cgroupfs' }).runtime, DEFAULT_NODE_IMAGE);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^the host is not ready for kind: cgroups: cgroup v1/) });
  });

  it('an engine that refuses --privileged is not available; the probe container is removed', async () => {
    const f = fake({}, 'OCI runtime create failed: unable to apply caps: operation not permitted: unknown');
    const r = await kindAvailability(f.runtime, DEFAULT_NODE_IMAGE);
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^Privileged containers: --privileged refused: .*unable to apply caps/) });
    expect(f.removed).toEqual(['probe']);
  });

  it('a ready host is available', async () => {
    expect(await kindAvailability(fake({}).runtime, DEFAULT_NODE_IMAGE)).toEqual({ ok: true });
  });
});
