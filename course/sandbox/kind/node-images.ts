// The kindest/node images packetwalk knows, pinned by digest, and what follows from a node image's version.
// kind's docs: a node image is only guaranteed to work with the kind release it was built for, so never float a tag.

export interface PinnedNodeImage {
  kubernetesVersion: string;
  ref: string;
}

/** The images published with kind v0.33.0. */
export const KIND_RELEASE = 'v0.33.0';

export const PINNED_NODE_IMAGES: readonly PinnedNodeImage[] = [
  { kubernetesVersion: 'v1.37.0', ref: 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5' },
  { kubernetesVersion: 'v1.36.4', ref: 'kindest/node:v1.36.4@sha256:099e049362a1526b2db71494e1947aae99bd16290d7c895f2b7ea312e3cbfaed' },
  { kubernetesVersion: 'v1.35.8', ref: 'kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0' },
  { kubernetesVersion: 'v1.34.11', ref: 'kindest/node:v1.34.11@sha256:44e222ee2132dab25ff87301682f89eb82c7880ea3a1bf543bfe9708fd08d67d' },
];

/** kind v0.33.0's default node image. */
export const DEFAULT_NODE_IMAGE = PINNED_NODE_IMAGES[0]!.ref;

const digestRef = /^(?<repo>[a-z0-9][a-z0-9._/-]*(?::\d+)?[a-z0-9._/-]*):(?<tag>[\w.-]+)@sha256:(?<digest>[a-f0-9]{64})$/;

export interface NodeImageRef {
  repository: string;
  tag: string;
  digest: string;
}

/** Parses "repo:tag@sha256:<64 hex>"; returns undefined for refs that are not pinned by digest. */
export function parsePinnedRef(ref: string): NodeImageRef | undefined {
  const m = digestRef.exec(ref);
  if (!m?.groups) return undefined;
  return { repository: m.groups.repo!, tag: m.groups.tag!, digest: `sha256:${m.groups.digest!}` };
}

export interface KubernetesVersion {
  major: number;
  minor: number;
  patch: number;
  /** As written, with the leading "v", e.g. "v1.35.8". */
  text: string;
}

/** Parses "v1.35.8", "1.35.8" or "v1.36.0-alpha.1+abc" (what /kind/version holds). */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+_-]*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: `v${text.trim().replace(/^v/, '')}` };
}

export type KubeadmApiVersion = 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';

/** kubeadm config API for a node's Kubernetes version: v1beta4 from 1.36, v1beta3 for 1.23–1.35. */
export function kubeadmApiVersionFor(v: KubernetesVersion): KubeadmApiVersion {
  if (v.major !== 1 || v.minor < 23) {
    throw new Error(
      `Kubernetes ${v.text} is not supported: packetwalk renders kubeadm configs for v1.23 and later (use one of ${PINNED_NODE_IMAGES.map((p) => p.kubernetesVersion).join(', ')})`,
    );
  }
  return v.minor >= 36 ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
}

/** The Kubernetes version a pinned node image was built for, from its tag ("v1.35.8"). */
export function kubernetesVersionOfImage(ref: string): KubernetesVersion | undefined {
  const pinned = parsePinnedRef(ref);
  return pinned ? parseKubernetesVersion(pinned.tag) : undefined;
}
