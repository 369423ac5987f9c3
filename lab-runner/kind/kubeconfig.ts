// Turns the control plane's /etc/kubernetes/admin.conf into the kubeconfig kind hands out: cluster, user and
// context all renamed "kind-<cluster>", current-context set, and the server pointed at either the published
// host port (https://127.0.0.1:<port>) or the in-network endpoint (https://<cluster>-control-plane:6443).
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';

export const ADMIN_CONF_PATH = '/etc/kubernetes/admin.conf';

const adminConfSchema = z.looseObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Config'),
  clusters: z.array(z.looseObject({ name: z.string(), cluster: z.looseObject({ server: z.string() }) })).length(1),
  users: z.array(z.looseObject({ name: z.string(), user: z.looseObject({}) })).length(1),
  contexts: z.array(z.looseObject({ name: z.string(), context: z.looseObject({ cluster: z.string(), user: z.string() }) })).length(1),
});

export class KubeconfigError extends Error {
  override name = 'KubeconfigError';
}

export function kindContextName(clusterName: string): string {
  return `kind-${clusterName}`;
}

export function rewriteKubeconfig(adminConf: string, clusterName: string, server: string): string {
  let raw: unknown;
  try {
    raw = parseYaml(adminConf);
  } catch (e) {
    throw new KubeconfigError(`${ADMIN_CONF_PATH} is not valid YAML: ${(e as Error).message}`);
  }
  const parsed = adminConfSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KubeconfigError(`${ADMIN_CONF_PATH} is not a single-cluster kubeadm admin kubeconfig: ${z.prettifyError(parsed.error)}`);
  }
  const name = kindContextName(clusterName);
  const c = parsed.data;
  const out = {
    ...c,
    clusters: [{ ...c.clusters[0]!, name, cluster: { ...c.clusters[0]!.cluster, server } }],
    users: [{ ...c.users[0]!, name }],
    contexts: [{ ...c.contexts[0]!, name, context: { ...c.contexts[0]!.context, cluster: name, user: name } }],
    'current-context': name,
  };
  return stringify(out, { lineWidth: 0 });
}

export interface ClusterKubeconfigs {
  /** For the host (and `kind export kubeconfig`): the API server's published port. */
  host: string;
  /** For containers on the cluster network (the jumpbox). */
  internal: string;
}

export function kubeconfigsFor(adminConf: string, clusterName: string, host: { address: string; port: string }, controlPlaneName: string): ClusterKubeconfigs {
  return {
    host: rewriteKubeconfig(adminConf, clusterName, `https://${host.address}:${host.port}`),
    internal: rewriteKubeconfig(adminConf, clusterName, `https://${controlPlaneName}:6443`),
  };
}
