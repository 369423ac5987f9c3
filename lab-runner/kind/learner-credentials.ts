// The jumpbox's kubeconfig does not carry the cluster's admin client certificate: it carries a bound
// ServiceAccount token (cluster-admin, expiring with the lab) issued on the control plane. A warm-pool cluster
// gets fresh credentials when a learner claims it, so nothing issued before the claim is what the learner uses.
import { stringify, parse as parseYaml } from 'yaml';
import type { NodeExecContext, NodeRef } from './node-exec.ts';
import { runOnNode } from './node-exec.ts';
import { kindContextName } from './kubeconfig.ts';

export const LEARNER_SA = 'packetwalk-learner';
export const LEARNER_NAMESPACE = 'kube-system';
const STEP = 'issue learner credentials';

export const LEARNER_RBAC_MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${LEARNER_SA}
  namespace: ${LEARNER_NAMESPACE}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${LEARNER_SA}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: ${LEARNER_SA}
  namespace: ${LEARNER_NAMESPACE}
`;

const KUBECTL = ['kubectl', '--kubeconfig=/etc/kubernetes/admin.conf'];

export async function ensureLearnerAccount(ctx: NodeExecContext, controlPlane: NodeRef): Promise<void> {
  await runOnNode(ctx, controlPlane, STEP, [...KUBECTL, 'apply', '-f', '-'], { stdin: LEARNER_RBAC_MANIFEST, timeoutMs: 60_000 });
}

export async function issueLearnerToken(ctx: NodeExecContext, controlPlane: NodeRef, validForSeconds: number): Promise<string> {
  const seconds = Math.max(600, Math.ceil(validForSeconds));
  const r = await runOnNode(ctx, controlPlane, STEP, [...KUBECTL, 'create', 'token', LEARNER_SA, '-n', LEARNER_NAMESPACE, `--duration=${seconds}s`], {
    timeoutMs: 30_000,
  });
  const token = r.stdout.trim();
  if (!/^[A-Za-z0-9._-]+$/.test(token)) throw new Error(`kubectl create token on ${controlPlane.name} returned no token`);
  return token;
}

/** A kubeconfig with the cluster's CA (from admin.conf), the in-network server and a token user. */
export function tokenKubeconfig(adminConf: string, clusterName: string, server: string, token: string): string {
  const admin = parseYaml(adminConf) as { clusters: { cluster: Record<string, unknown> }[] };
  const ca = admin.clusters[0]?.cluster['certificate-authority-data'];
  if (typeof ca !== 'string') throw new Error('admin.conf has no certificate-authority-data');
  const name = kindContextName(clusterName);
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { 'certificate-authority-data': ca, server } }],
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
      preferences: {},
    },
    { lineWidth: 0 },
  );
}
