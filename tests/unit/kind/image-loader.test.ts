import { describe, expect, it } from 'vitest';
import { ctrImportCommand, normalizeImageRef, snapshotterFromConfigDump } from '../../../lab-runner/kind/image-loader.ts';

describe('kind load docker-image pieces', () => {
  it.each([
    ['agnhost:2.53', 'docker.io/library/agnhost:2.53'],
    ['busybox', 'docker.io/library/busybox:latest'],
    ['nicolaka/netshoot:v0.13', 'docker.io/nicolaka/netshoot:v0.13'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.53', 'registry.k8s.io/e2e-test-images/agnhost:2.53'],
    ['localhost:5000/x/y', 'localhost:5000/x/y:latest'],
    ['ghcr.io/flannel-io/flannel:v0.26.7', 'ghcr.io/flannel-io/flannel:v0.26.7'],
    ['alpine@sha256:' + 'a'.repeat(64), 'docker.io/library/alpine@sha256:' + 'a'.repeat(64)],
  ])("normalises %s to containerd's %s", (ref, want) => {
    expect(normalizeImageRef(ref)).toBe(want);
  });

  it("reads the CRI plugin's snapshotter from containerd config dump", () => {
    const dump = `version = 2
[plugins."io.containerd.gc.v1.scheduler"]
  snapshotter = "ignored"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    snapshotter = "fuse-overlayfs"
`;
    expect(snapshotterFromConfigDump(dump)).toBe('fuse-overlayfs');
    expect(() => snapshotterFromConfigDump('version = 2\n')).toThrow(/no io.containerd.grpc.v1.cri.containerd.snapshotter/);
  });

  it('reads containerd 2.x (config version 3) at kind\'s key path, not the first "snapshotter =" line', () => {
    // containerd 2 dumps the transfer service's unpack_config (with its own snapshotter) before the CRI images plugin.
    const dump = `version = 3
[plugins]
  [plugins.'io.containerd.transfer.v1.local']
    [[plugins.'io.containerd.transfer.v1.local'.unpack_config]]
      platform = "linux/amd64"
      snapshotter = "native"
  [plugins.'io.containerd.cri.v1.images']
    snapshotter = "overlayfs"
    disable_snapshot_annotations = true
`;
    expect(snapshotterFromConfigDump(dump)).toBe('overlayfs');
    expect(() => snapshotterFromConfigDump('version = 9\n')).toThrow(/unknown containerd config version 9/);
  });

  it("imports the engine's platform only (kind's --all-platforms breaks on the containerd image store)", () => {
    expect(ctrImportCommand('overlayfs', { os: 'linux', architecture: 'amd64' })).toEqual([
      'ctr',
      '--namespace=k8s.io',
      'images',
      'import',
      '--digests',
      '--snapshotter=overlayfs',
      '--platform=linux/amd64',
      '-',
    ]);
    expect(ctrImportCommand('overlayfs')).not.toContain('--all-platforms');
  });
});
