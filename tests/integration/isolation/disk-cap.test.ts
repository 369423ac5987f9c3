// LAB_DISK_LIMIT: a node that writes without end meets "Disk quota exceeded" / "No space left on device" inside the
// lab, and the host's disk is untouched. Enforced where the engine's storage driver can (the user-namespace engine
// .ci/userns-engine.sh starts has a btrfs data root for this); on an engine that cannot (overlay2 on ext4, the default
// engine here; any snapshotter of Docker's containerd image store, in the stock-kernel VM) labs still start, uncapped,
// and the write test reports itself skipped with that reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageOptUnsupportedError } from '../../../lab-runner/errors.ts';
import { diskCapFor } from '../../../lab-runner/isolation/disk-cap.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { Labels } from '../../../lab-runner/labels.ts';
import type { EngineInfo } from '../../../lab-runner/runtime/container-runtime.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

const LIMIT = 64 * 1024 * 1024;

describe('disk cap (LAB_DISK_LIMIT)', () => {
  let t: TestEngine;
  let lab: ReadyLab;
  let info: EngineInfo;
  let unsupported: string | undefined;
  const sh = (script: string) => t.engine.labs.exec(lab.id, lab.targets[0]!.name, { cmd: ['bash', '-c', script], timeoutMs: 60_000 });

  beforeAll(async () => {
    t = makeTestEngine({ LAB_DISK_LIMIT: LIMIT });
    const rt = t.engine.runtime;
    info = await rt.info();
    // The engine's own decision from `docker info` first: an engine can accept a size it does not enforce.
    const decided = diskCapFor({ limitBytes: LIMIT, ...info, imageSizeBytes: 0 });
    if (decided.kind === 'unsupported') unsupported = decided.reason;
    else {
      // Then whether the engine refuses it (overlay2 on xfs without pquota): ask with a container that never starts.
      try {
        const { id } = await rt.createContainer({
          name: `pw-diskcap-probe-${process.pid}`,
          image: 'packetwalk/node:latest',
          network: 'none',
          labels: { [Labels.storeId]: t.engine.store.storeId },
          storageSizeBytes: LIMIT * 8,
        });
        await rt.removeContainer(id);
      } catch (err) {
        if (!(err instanceof StorageOptUnsupportedError)) throw err;
        unsupported = err.message;
      }
    }
    lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'disk' });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('the lab starts on any engine (uncapped where the driver cannot cap)', async () => {
    expect((await sh('echo ok')).stdout.trim()).toBe('ok');
  });

  it('writing twice the limit fails inside the node, and space comes back once the file is removed', async (ctx) => {
    if (unsupported) ctx.skip(`this engine cannot cap a container's size: ${unsupported}`);
    const r = await sh(`dd if=/dev/zero of=/var/big bs=1M count=${(2 * LIMIT) / 1024 / 1024} 2>&1; echo "exit=$?"; stat -c %s /var/big`);
    expect(r.stdout).toMatch(/Disk quota exceeded|No space left on device/);
    expect(r.stdout).toMatch(/exit=1/);
    const written = Number(r.stdout.trim().split('\n').at(-1));
    expect(written).toBeLessThanOrEqual(LIMIT + 16 * 1024 * 1024);
    const again = await sh('rm /var/big && dd if=/dev/zero of=/root/small bs=1M count=8 2>&1 && echo wrote');
    expect(again.stdout).toContain('wrote');
  });

  // Why the decision comes from `docker info`: Docker's containerd image store (a fresh Docker 29's default, Docker
  // Desktop's) takes HostConfig.StorageOpt size without a word and caps nothing. If a Docker release starts enforcing
  // it, this fails: then disk-cap.ts can let that store cap again.
  it("Docker's containerd image store accepts a container size and does not enforce it", async (ctx) => {
    if (!info.containerdImageStore) ctx.skip('this engine keeps images in a graph driver, not the containerd image store');
    const rt = t.engine.runtime;
    const { id } = await rt.createContainer({
      name: `pw-diskcap-containerd-${process.pid}`,
      image: 'packetwalk/node:latest',
      entrypoint: ['sleep', 'infinity'],
      network: 'none',
      labels: { [Labels.storeId]: t.engine.store.storeId },
      storageSizeBytes: LIMIT,
    });
    try {
      await rt.startContainer(id);
      const r = await rt.exec(id, {
        cmd: ['bash', '-c', `dd if=/dev/zero of=/var/big bs=1M count=${(2 * LIMIT) / 1024 / 1024} 2>&1; echo "exit=$?"`],
        timeoutMs: 120_000,
      });
      expect(r.stdout).toMatch(/exit=0/);
      expect(r.stdout).toContain(`${2 * LIMIT} bytes`);
    } finally {
      await rt.removeContainer(id);
    }
  });
});
