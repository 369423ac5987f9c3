// What kind changes about a node container and its kubeadm config because of the Docker host it runs on
// (kind: providers/docker/util.go usernsRemap, mountDevMapper, mountFuse; kubeadm/config.go RootlessProvider).
// Pure: derived from EngineInfo alone, so the host-profile tests pin it for every kind of host.
import type { EngineInfo } from '../runtime/container-runtime.ts';

export interface HostAdaptations {
  /** Rootless Docker: kubelet feature gate KubeletInUserNamespace, no conntrack sysctls, /dev/fuse for fuse-overlayfs. */
  rootless: boolean;
  /** The daemon remaps user namespaces: nodes opt out with --userns=host. */
  usernsHost: boolean;
  /** Bind /dev/mapper: btrfs, zfs and devicemapper drivers, or a btrfs/zfs/xfs backing filesystem (never rootless). */
  mountDevMapper: boolean;
  /** Pass /dev/fuse through (rootless Docker does not with --privileged). */
  mountFuse: boolean;
}

const DEV_MAPPER_DRIVERS = ['btrfs', 'zfs', 'devicemapper'];
const DEV_MAPPER_FILESYSTEMS = ['btrfs', 'zfs', 'xfs'];

export function hostAdaptations(e: Pick<EngineInfo, 'rootless' | 'securityOptions' | 'storageDriver' | 'backingFilesystem'>): HostAdaptations {
  const driver = (e.storageDriver ?? '').toLowerCase();
  const backing = (e.backingFilesystem ?? '').toLowerCase();
  // Rootless Docker cannot create device nodes, so kind skips the /dev/mapper bind there.
  const devMapper = !e.rootless && (DEV_MAPPER_DRIVERS.includes(driver) || DEV_MAPPER_FILESYSTEMS.includes(backing));
  return {
    rootless: e.rootless,
    usernsHost: e.securityOptions.some((o) => o.includes('name=userns')),
    mountDevMapper: devMapper,
    mountFuse: e.rootless,
  };
}

/** No adaptation: what a stand-in or an unknown engine gets. */
export const NO_ADAPTATIONS: HostAdaptations = { rootless: false, usernsHost: false, mountDevMapper: false, mountFuse: false };
