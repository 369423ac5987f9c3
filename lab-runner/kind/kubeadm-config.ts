// Renders /kind/kubeadm.conf for one node, field for field what kind writes (pkg/cluster/internal/kubeadm/config.go),
// for kubeadm API v1beta3 (Kubernetes 1.23–1.35) or v1beta4 (≥ 1.36), then applies the template's
// kubeadmConfigPatches. Built as objects and serialised, so patches are structural merges, not text edits.
import { parse as parseYaml, stringify } from 'yaml';
import type { KubeadmApiVersion } from '../../course/sandbox/kind/node-images.ts';
import type { KubeProxyMode } from '../../course/sandbox/kind/kind-config-schema.ts';
import { applyMergePatch, type JsonObject } from './merge-patch.ts';

/** kind's well-known bootstrap token: nodes join with it and skip CA verification (a lab, not production). */
export const KIND_BOOTSTRAP_TOKEN = 'abcdef.0123456789abcdef';
export const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';

export interface KubeadmConfigInput {
  apiVersion: KubeadmApiVersion;
  /** From the node's /kind/version, e.g. "v1.35.8". */
  kubernetesVersion: string;
  clusterName: string;
  /** "<control-plane container>:6443". */
  controlPlaneEndpoint: string;
  /** Host address the API server is published on; added to the certificate's SANs. */
  apiServerAddress: string;
  apiBindPort: number;
  nodeName: string;
  /** The node's IPv4 address on the cluster network. */
  nodeAddress: string;
  controlPlane: boolean;
  nodeLabels: Record<string, string>;
  podSubnet: string;
  serviceSubnet: string;
  kubeProxyMode: KubeProxyMode;
  /** Cluster-level patches first, then the node's own (kind's order). */
  patches: string[];
  /**
   * Rootless Docker (kind's RootlessProvider): feature gate KubeletInUserNamespace on every component, and
   * kube-proxy leaves the conntrack timeouts alone (a user namespace may not write those sysctls).
   */
  rootless?: boolean;
}

type Args = Record<string, string>;

function skipPhases(i: KubeadmConfigInput, init: boolean): string[] {
  return init && i.kubeProxyMode === 'none' ? ['preflight', 'addon/kube-proxy'] : ['preflight'];
}

function nodeRegistration(i: KubeadmConfigInput): JsonObject {
  const labels = Object.keys(i.nodeLabels)
    .sort()
    .map((k) => `${k}=${i.nodeLabels[k]}`)
    .join(',');
  // kind always writes node-labels, "" when the node has none.
  const kubeletExtraArgs: Args = {
    'node-ip': i.nodeAddress,
    'provider-id': `kind://docker/${i.clusterName}/${i.nodeName}`,
    'node-labels': labels,
  };
  return { criSocket: CRI_SOCKET, kubeletExtraArgs };
}

/** kind's feature gates: only KubeletInUserNamespace (rootless); cluster featureGates are refused by the schema. */
function featureGates(i: KubeadmConfigInput): Record<string, boolean> {
  return i.rootless ? { KubeletInUserNamespace: true } : {};
}

function featureGatesArg(gates: Record<string, boolean>): Args {
  const keys = Object.keys(gates).sort();
  return keys.length ? { 'feature-gates': keys.map((k) => `${k}=${gates[k]}`).join(',') } : {};
}

function kubeProxyConntrack(i: KubeadmConfigInput): JsonObject {
  // 0 = leave nf_conntrack_max alone: it is a host-wide sysctl shared by every lab.
  const conntrack: JsonObject = { maxPerCore: 0 };
  // nftables kube-proxy wants nf_conntrack_tcp_be_liberal (kernels before 6.1); not settable rootless.
  if (i.kubeProxyMode === 'nftables' && !i.rootless) conntrack.tcpBeLiberal = true;
  if (i.rootless) {
    conntrack.tcpEstablishedTimeout = '0s';
    conntrack.tcpCloseWaitTimeout = '0s';
  }
  return conntrack;
}

/** The documents in "map form" (extraArgs as maps): the form patches are applied in. */
function baseDocuments(i: KubeadmConfigInput): JsonObject[] {
  const gates = featureGates(i);
  const gateArg = featureGatesArg(gates);
  const gateField: JsonObject = Object.keys(gates).length ? { featureGates: gates } : {};
  const cluster: JsonObject = {
    apiVersion: i.apiVersion,
    kind: 'ClusterConfiguration',
    metadata: { name: 'config' },
    kubernetesVersion: i.kubernetesVersion,
    clusterName: i.clusterName,
    controlPlaneEndpoint: i.controlPlaneEndpoint,
    // The API server is reached through a port published on the host, so the certificate must be valid there too.
    apiServer: { certSANs: ['localhost', i.apiServerAddress], extraArgs: { 'runtime-config': '', ...gateArg } },
    controllerManager: { extraArgs: { ...gateArg, 'enable-hostpath-provisioner': 'true' } },
    // kind's template leaves the scheduler's extraArgs empty (YAML null) when there is nothing to pass.
    scheduler: { extraArgs: Object.keys(gateArg).length ? { ...gateArg } : null },
    networking: { podSubnet: i.podSubnet, serviceSubnet: i.serviceSubnet },
  };
  const init: JsonObject = {
    apiVersion: i.apiVersion,
    kind: 'InitConfiguration',
    metadata: { name: 'config' },
    bootstrapTokens: [{ token: KIND_BOOTSTRAP_TOKEN }],
    localAPIEndpoint: { advertiseAddress: i.nodeAddress, bindPort: i.apiBindPort },
    nodeRegistration: nodeRegistration(i),
    skipPhases: skipPhases(i, true),
  };
  const join: JsonObject = {
    apiVersion: i.apiVersion,
    kind: 'JoinConfiguration',
    metadata: { name: 'config' },
    ...(i.controlPlane ? { controlPlane: { localAPIEndpoint: { advertiseAddress: i.nodeAddress, bindPort: i.apiBindPort } } } : {}),
    nodeRegistration: nodeRegistration(i),
    discovery: { bootstrapToken: { apiServerEndpoint: i.controlPlaneEndpoint, token: KIND_BOOTSTRAP_TOKEN, unsafeSkipCAVerification: true } },
    skipPhases: skipPhases(i, false),
  };
  const kubelet: JsonObject = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    metadata: { name: 'config' },
    cgroupDriver: 'systemd',
    cgroupRoot: '/kubelet',
    failSwapOn: false,
    // The kubelet sees the host's disk through the node container; never let it garbage-collect or evict for it.
    imageGCHighThresholdPercent: 100,
    evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
    ...gateField,
  };
  const docs = [cluster, init, join, kubelet];
  if (i.kubeProxyMode !== 'none') {
    docs.push({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      metadata: { name: 'config' },
      mode: i.kubeProxyMode,
      ...gateField,
      iptables: { minSyncPeriod: '1s' },
      conntrack: kubeProxyConntrack(i),
    });
  }
  return docs;
}

// Where kubeadm takes component arguments: maps in v1beta3, [{name, value}] lists in v1beta4.
const ARG_PATHS: Record<string, string[][]> = {
  ClusterConfiguration: [
    ['apiServer', 'extraArgs'],
    ['controllerManager', 'extraArgs'],
    ['scheduler', 'extraArgs'],
    ['etcd', 'local', 'extraArgs'],
  ],
  InitConfiguration: [['nodeRegistration', 'kubeletExtraArgs']],
  JoinConfiguration: [['nodeRegistration', 'kubeletExtraArgs']],
};

function argsToMap(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Args = {};
  for (const item of value as { name?: unknown; value?: unknown }[]) {
    if (item && typeof item.name === 'string') out[item.name] = String(item.value ?? '');
  }
  return out;
}

function argsToList(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.entries(value as Args).map(([name, v]) => ({ name, value: String(v) }));
}

function mapArgs(doc: JsonObject, convert: (v: unknown) => unknown): JsonObject {
  const paths = ARG_PATHS[String(doc.kind)] ?? [];
  for (const path of paths) {
    let parent: JsonObject | undefined = doc;
    for (const key of path.slice(0, -1)) {
      const next: unknown = parent?.[key];
      parent = next && typeof next === 'object' && !Array.isArray(next) ? (next as JsonObject) : undefined;
    }
    const last = path[path.length - 1]!;
    if (parent && last in parent) parent[last] = convert(parent[last]) as JsonObject[string];
  }
  return doc;
}

/** Applies kind-style kubeadmConfigPatches: a merge patch applies to every document of the same kind. */
function applyPatches(docs: JsonObject[], patches: string[]): JsonObject[] {
  let out = docs;
  for (const text of patches) {
    const patch = parseYaml(text) as JsonObject;
    // Accept patches written for either API version: the args shape is normalised on both sides.
    const normalised = mapArgs(structuredClone(patch), argsToMap);
    const { apiVersion: _ignored, ...body } = normalised;
    out = out.map((doc) => (doc.kind === patch.kind ? (applyMergePatch(doc, body) as JsonObject) : doc));
  }
  return out;
}

/** kind names every document (metadata.name: config) only to match patches, then strips it: kubeadm warns on it. */
function withoutMetadata(doc: JsonObject): JsonObject {
  const { metadata: _dropped, ...rest } = doc;
  return rest;
}

export function renderKubeadmConfig(i: KubeadmConfigInput): string {
  const patched = applyPatches(baseDocuments(i), i.patches).map(withoutMetadata);
  const final = i.apiVersion === 'kubeadm.k8s.io/v1beta4' ? patched.map((d) => mapArgs(d, argsToList)) : patched;
  const body = final.map((d) => stringify(d, { lineWidth: 0 }).trimEnd()).join('\n---\n');
  return `# config generated by packetwalk (kind-compatible, ${i.apiVersion})\n${body}\n`;
}
