// LAB_DISK_LIMIT: the most a lab node may write to its own filesystem, so that `dd if=/dev/zero of=/big` ends with
// "No space left on device" / "Disk quota exceeded" inside the lab instead of filling the host's disk.
// Enforced by Docker's per-container storage size (HostConfig.StorageOpt size), which the storage driver implements:
// btrfs (qgroups), zfs (dataset quota), overlay2 only on xfs mounted with pquota, devicemapper. overlay2 on ext4
// (Debian's and Ubuntu's default) cannot: `docker info` names the backing filesystem, so packetwalk notes it once per
// engine and creates nodes uncapped (an engine that refuses the size anyway, overlay2 on xfs without pquota, gets the
// same at its first node); `npm run doctor` says so and how to give the data root a filesystem that can.
// Docker's containerd image store (the default of a fresh Docker 29, and Docker Desktop's) is worse: it accepts the
// size and enforces nothing, whatever its snapshotter (moby's daemon/containerd only logs a warning). The disk-cap
// integration test shows it in the stock-kernel VM (Docker 26, containerd-snapshotter). So the cap is decided from
// `docker info`, not from whether the engine accepts the option.
// /run and /tmp are size-limited tmpfs on every driver (charged to the node's memory limit).

/** Drivers whose "size" counts the image's shared data too: the image's size is added so the learner gets the full limit. */
const SIZE_INCLUDES_IMAGE = new Set(['btrfs', 'devicemapper']);
/** Drivers that can enforce a size at all (overlay2 only on xfs with pquota, which `docker info` does not tell apart). */
const CAN_CAP = new Set(['btrfs', 'zfs', 'devicemapper', 'overlay2', 'windowsfilter']);

export type DiskCap = { kind: 'capped'; storageSizeBytes: number } | { kind: 'off' } | { kind: 'unsupported'; reason: string };

export interface DiskCapInput {
  limitBytes: number | undefined;
  storageDriver?: string;
  /** `docker info`'s "Backing Filesystem" (graph drivers only): extfs, xfs, btrfs… */
  backingFilesystem?: string;
  /** Images and container layers live in containerd's snapshotters (`docker info` driver-type io.containerd.snapshotter.v1). */
  containerdImageStore?: boolean;
  imageSizeBytes: number;
}

export function diskCapFor(i: DiskCapInput): DiskCap {
  if (!i.limitBytes) return { kind: 'off' };
  const driver = i.storageDriver ?? 'unknown';
  if (i.containerdImageStore)
    return {
      kind: 'unsupported',
      reason: `Docker's containerd image store (snapshotter ${driver}) accepts a container size but does not enforce it; a graph driver that can (btrfs, zfs, overlay2 on xfs with pquota) needs "containerd-snapshotter": false in daemon.json`,
    };
  if (!CAN_CAP.has(driver)) return { kind: 'unsupported', reason: `the ${driver} storage driver cannot limit a container's size` };
  if (driver === 'overlay2' && i.backingFilesystem && i.backingFilesystem !== 'xfs')
    return { kind: 'unsupported', reason: `overlay2 on ${i.backingFilesystem} cannot limit a container's size (overlay2 can on xfs mounted with pquota)` };
  return { kind: 'capped', storageSizeBytes: i.limitBytes + (SIZE_INCLUDES_IMAGE.has(driver) ? i.imageSizeBytes : 0) };
}
