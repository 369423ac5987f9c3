// LAB_DISK_LIMIT: the most a lab node may write to its own filesystem, so that `dd if=/dev/zero of=/big` ends with
// "No space left on device" / "Disk quota exceeded" inside the lab instead of filling the host's disk.
// Enforced by Docker's per-container storage size (HostConfig.StorageOpt size), which the storage driver implements:
// btrfs (qgroups), zfs (dataset quota), overlay2 only on xfs mounted with pquota, devicemapper. overlay2 on ext4
// (Debian's and Ubuntu's default) cannot: the engine refuses such a container, packetwalk notes it once per engine and
// creates nodes uncapped; `npm run doctor` says so and how to give the data root a filesystem that can.
// /run and /tmp are size-limited tmpfs on every driver (charged to the node's memory limit).

/** Drivers whose "size" counts the image's shared data too: the image's size is added so the learner gets the full limit. */
const SIZE_INCLUDES_IMAGE = new Set(['btrfs', 'devicemapper']);
/** Drivers that can enforce a size at all (overlay2 only on xfs with pquota, which `docker info` does not tell apart). */
const CAN_CAP = new Set(['btrfs', 'zfs', 'devicemapper', 'overlay2', 'windowsfilter']);

export type DiskCap = { kind: 'capped'; storageSizeBytes: number } | { kind: 'off' } | { kind: 'unsupported'; reason: string };

export function diskCapFor(i: { limitBytes: number | undefined; storageDriver: string | undefined; imageSizeBytes: number }): DiskCap {
  if (!i.limitBytes) return { kind: 'off' };
  const driver = i.storageDriver ?? 'unknown';
  if (!CAN_CAP.has(driver)) return { kind: 'unsupported', reason: `the ${driver} storage driver cannot limit a container's size` };
  return { kind: 'capped', storageSizeBytes: i.limitBytes + (SIZE_INCLUDES_IMAGE.has(driver) ? i.imageSizeBytes : 0) };
}
