// LAB_DISK_LIMIT's decision from `docker info` (lab-runner/isolation/disk-cap.ts) and the doctor's line about it. The
// engine facts are the shapes storageFacts() reads from real engines: Docker 20.10 overlay2 on ext4 (the project
// machines), a btrfs data root (the user-namespace engine CI starts), and Docker 26's containerd image store (the
// stock-kernel VM), where a container size is accepted and not enforced.
import { describe, expect, it } from 'vitest';
import { diskCapFor } from '../../../lab-runner/isolation/disk-cap.ts';
import { diskCapCheck } from '../../../lab-runner/isolation/isolation-checks.ts';
import type { EngineInfo } from '../../../lab-runner/runtime/container-runtime.ts';

const MiB = 1024 * 1024;
const engines = {
  overlay2OnExt4: { storageDriver: 'overlay2', backingFilesystem: 'extfs', containerdImageStore: false },
  overlay2OnXfs: { storageDriver: 'overlay2', backingFilesystem: 'xfs', containerdImageStore: false },
  btrfs: { storageDriver: 'btrfs', backingFilesystem: 'btrfs', containerdImageStore: false },
  containerdOverlayfs: { storageDriver: 'overlayfs', containerdImageStore: true },
  containerdBtrfs: { storageDriver: 'btrfs', containerdImageStore: true },
  vfs: { storageDriver: 'vfs', containerdImageStore: false },
};

describe('disk cap decision', () => {
  it('caps where the graph driver enforces a size, adding the image where the driver counts it', () => {
    expect(diskCapFor({ limitBytes: 512 * MiB, ...engines.btrfs, imageSizeBytes: 300 * MiB })).toEqual({ kind: 'capped', storageSizeBytes: 812 * MiB });
    expect(diskCapFor({ limitBytes: 512 * MiB, ...engines.overlay2OnXfs, imageSizeBytes: 300 * MiB })).toEqual({ kind: 'capped', storageSizeBytes: 512 * MiB });
  });

  it('does not claim a cap overlay2 on ext4 or vfs cannot give', () => {
    expect(diskCapFor({ limitBytes: 512 * MiB, ...engines.overlay2OnExt4, imageSizeBytes: 0 })).toMatchObject({
      kind: 'unsupported',
      reason: expect.stringContaining('overlay2 on extfs'),
    });
    expect(diskCapFor({ limitBytes: 512 * MiB, ...engines.vfs, imageSizeBytes: 0 }).kind).toBe('unsupported');
  });

  it('does not claim a cap on the containerd image store, whatever the snapshotter, though Docker accepts the option', () => {
    for (const e of [engines.containerdOverlayfs, engines.containerdBtrfs]) {
      const cap = diskCapFor({ limitBytes: 512 * MiB, ...e, imageSizeBytes: 0 });
      expect(cap).toMatchObject({ kind: 'unsupported', reason: expect.stringContaining('containerd image store') });
    }
  });

  it('is off without a limit', () => {
    expect(diskCapFor({ limitBytes: undefined, ...engines.btrfs, imageSizeBytes: 0 })).toEqual({ kind: 'off' });
  });
});

describe("doctor's disk cap line", () => {
  const info = (e: Partial<EngineInfo>) => e as EngineInfo;

  it('says what each node may write where the engine caps', () => {
    expect(diskCapCheck(info(engines.btrfs), 1024 * MiB)).toMatchObject({ status: 'ok', detail: expect.stringContaining('1024 MiB (btrfs on btrfs)') });
  });

  it('warns, with why and how to fix, where the limit is not enforced', () => {
    const r = diskCapCheck(info(engines.containerdOverlayfs), 1024 * MiB);
    expect(r.status).toBe('warn');
    expect(r.detail).toMatch(/not enforced: Docker's containerd image store .* fill the Docker host's disk/);
    expect(r.fix).toMatch(/btrfs|pquota/);
    expect(diskCapCheck(info(engines.overlay2OnExt4), 1024 * MiB)).toMatchObject({ status: 'warn', detail: expect.stringContaining('overlay2 on extfs') });
  });

  it('warns when LAB_DISK_LIMIT is none', () => {
    expect(diskCapCheck(info(engines.btrfs), undefined)).toMatchObject({ status: 'warn', detail: expect.stringContaining('LAB_DISK_LIMIT=none') });
  });
});
