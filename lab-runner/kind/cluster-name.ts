// A kind-valid cluster name derived from a lab id, so `kind get clusters` lists the lab and
// `kind delete cluster --name <name>` / `kind export kubeconfig --name <name>` work on it.
import { createHash } from 'node:crypto';

/** kind: node hostnames are "<cluster>-control-plane…" and must fit 63 characters, so names stay ≤ 50. */
export const MAX_CLUSTER_NAME = 50;
const VALID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isValidClusterName(name: string): boolean {
  return name.length <= MAX_CLUSTER_NAME && VALID.test(name);
}

/** "pw-" + the lab id made DNS-safe; over-long ids keep a hash suffix so two labs never share a name. */
export function clusterNameForLab(labId: string): string {
  const safe = labId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  let name = `pw-${safe || 'lab'}`;
  if (name.length > MAX_CLUSTER_NAME || safe !== labId.toLowerCase()) {
    const hash = createHash('sha256').update(labId).digest('hex').slice(0, 8);
    name = `${name.slice(0, MAX_CLUSTER_NAME - 9).replace(/-+$/, '')}-${hash}`;
  }
  return name;
}
