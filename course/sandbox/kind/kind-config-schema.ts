// The subset of kind's Cluster config (kind.x-k8s.io/v1alpha4) packetwalk supports, validated with zod.
// A kind.yaml that passes here is also a valid `kind create cluster --config` file. Fields kind knows but we
// do not support are rejected with the reason, never silently ignored; unknown fields (typos) are rejected too.
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

const cidr = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, { message: 'must be an IPv4 CIDR such as 10.244.0.0/16' })
  .refine(
    (v) =>
      v
        .split(/[./]/)
        .slice(0, 4)
        .every((o) => Number(o) <= 255) && Number(v.split('/')[1]) <= 32,
    {
      message: 'must be an IPv4 CIDR with octets 0-255 and a prefix length 0-32',
    },
  );

const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, { message: 'must be an IPv4 address such as 127.0.0.1' });

const port = (what: string) =>
  z
    .number({ message: `${what} must be a number` })
    .int({ message: `${what} must be a whole number` })
    .min(0)
    .max(65535);

/** kubeadmConfigPatches entries are YAML documents (strings); each must name the kind it patches. */
const kubeadmPatch = z.string({ message: 'each kubeadmConfigPatches entry must be a YAML string (use "|" block style)' }).superRefine((text, ctx) => {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not valid YAML: ${(e as Error).message}` });
    return;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || typeof (doc as { kind?: unknown }).kind !== 'string') {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a YAML mapping with a "kind" (ClusterConfiguration, InitConfiguration, JoinConfiguration, KubeletConfiguration or KubeProxyConfiguration)',
    });
    return;
  }
  const kind = (doc as { kind: string }).kind;
  if (!PATCHABLE_KINDS.includes(kind as PatchableKind)) {
    ctx.addIssue({
      code: 'custom',
      message: `patches kind "${kind}", which the rendered kubeadm config does not contain; use one of ${PATCHABLE_KINDS.join(', ')}`,
    });
  }
});

export const PATCHABLE_KINDS = ['ClusterConfiguration', 'InitConfiguration', 'JoinConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration'] as const;
export type PatchableKind = (typeof PATCHABLE_KINDS)[number];

const portMapping = z.strictObject({
  containerPort: port('containerPort').refine((p) => p > 0, { message: 'containerPort must be 1-65535' }),
  /** 0 or absent: Docker picks a free port (the only safe choice when several labs share a host). */
  hostPort: port('hostPort').optional(),
  listenAddress: ipv4.optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP'], { message: 'protocol must be TCP, UDP or SCTP' }).optional(),
});

const nodeSchema = z.strictObject({
  role: z.enum(['control-plane', 'worker'], { message: 'role must be "control-plane" or "worker"' }),
  /** Per-node image override; must be pinned by digest like the template's nodeImage. */
  image: z
    .string()
    .regex(/@sha256:[a-f0-9]{64}$/, { message: 'a node image must be pinned by digest (…@sha256:<64 hex>), as kind recommends' })
    .optional(),
  labels: z.record(z.string(), z.string()).optional(),
  extraPortMappings: z.array(portMapping).optional(),
  kubeadmConfigPatches: z.array(kubeadmPatch).optional(),
});

const networkingSchema = z.strictObject({
  ipFamily: z.literal('ipv4', { message: 'only ipFamily "ipv4" is supported (IPv6 and dual-stack lab networks are not yet)' }).optional(),
  apiServerAddress: ipv4.optional(),
  apiServerPort: port('apiServerPort')
    .refine((p) => p === 0, { message: 'apiServerPort must be 0 (random): labs run side by side and a fixed port would collide' })
    .optional(),
  podSubnet: cidr.optional(),
  serviceSubnet: cidr.optional(),
  disableDefaultCNI: z.boolean({ message: 'disableDefaultCNI must be true or false' }).optional(),
  kubeProxyMode: z.enum(['iptables', 'ipvs', 'nftables', 'none'], { message: 'kubeProxyMode must be iptables, ipvs, nftables or none' }).optional(),
});

const clusterSchema = z.strictObject({
  kind: z.literal('Cluster', { message: 'kind must be "Cluster"' }),
  apiVersion: z.literal('kind.x-k8s.io/v1alpha4', { message: 'apiVersion must be "kind.x-k8s.io/v1alpha4"' }),
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'name must be lower-case letters, digits and "-"' })
    .max(50)
    .optional(),
  nodes: z
    .array(nodeSchema)
    .min(1, { message: 'nodes must list at least one node' })
    .refine((nodes) => nodes.filter((n) => n.role === 'control-plane').length === 1, {
      message: "nodes must contain exactly one control-plane node (HA control planes need kind's external load balancer, which packetwalk does not run)",
    })
    .optional(),
  networking: networkingSchema.optional(),
  kubeadmConfigPatches: z.array(kubeadmPatch).optional(),
});

/** Fields kind accepts that packetwalk refuses, and why: the message a template author sees. */
const UNSUPPORTED: Record<string, string> = {
  featureGates: 'featureGates are not supported yet; use kubeadmConfigPatches to set component flags',
  runtimeConfig: 'runtimeConfig is not supported yet; use a ClusterConfiguration kubeadmConfigPatch (apiServer extraArgs runtime-config)',
  containerdConfigPatches:
    'containerdConfigPatches are not supported: labs run offline and load images with `kind load`-style preloading instead of registry mirrors',
  containerdConfigPatchesJSON6902: 'containerdConfigPatchesJSON6902 is not supported',
  kubeadmConfigPatchesJSON6902: 'kubeadmConfigPatchesJSON6902 is not supported; use kubeadmConfigPatches (merge patches)',
  'nodes[].extraMounts': 'extraMounts are not supported: a host path mounted into a privileged node would hand learners the host',
  'nodes[].gpus': 'GPUs are not supported',
  'networking.dnsSearch': 'networking.dnsSearch is not supported',
};

export const DEFAULT_POD_SUBNET = '10.244.0.0/16';
export const DEFAULT_SERVICE_SUBNET = '10.96.0.0/16';

export type KindClusterInput = z.infer<typeof clusterSchema>;
export type KindNodeConfig = z.infer<typeof nodeSchema>;
export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'none';

/** A validated Cluster with kind's v1alpha4 defaults applied. */
export interface KindClusterConfig {
  name: string;
  nodes: KindNodeConfig[];
  networking: {
    ipFamily: 'ipv4';
    apiServerAddress: string;
    apiServerPort: number;
    podSubnet: string;
    serviceSubnet: string;
    disableDefaultCNI: boolean;
    kubeProxyMode: KubeProxyMode;
  };
  kubeadmConfigPatches: string[];
}

export class KindConfigError extends Error {
  override name = 'KindConfigError';
}

function unsupportedFields(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const found: string[] = [];
  const r = raw as Record<string, unknown>;
  for (const top of ['featureGates', 'runtimeConfig', 'containerdConfigPatches', 'containerdConfigPatchesJSON6902', 'kubeadmConfigPatchesJSON6902']) {
    if (top in r) found.push(`${top}: ${UNSUPPORTED[top]}`);
  }
  const networking = r.networking as Record<string, unknown> | undefined;
  if (networking && typeof networking === 'object' && 'dnsSearch' in networking) found.push(`networking.dnsSearch: ${UNSUPPORTED['networking.dnsSearch']}`);
  if (Array.isArray(r.nodes)) {
    r.nodes.forEach((n: unknown, i) => {
      if (typeof n !== 'object' || n === null) return;
      for (const f of ['extraMounts', 'gpus']) {
        if (f in n) found.push(`nodes[${i}].${f}: ${UNSUPPORTED[`nodes[].${f}`]}`);
      }
    });
  }
  return found;
}

/** Validates a parsed kind config and applies kind's defaults. `source` names the file in messages. */
export function validateKindConfig(raw: unknown, source: string): KindClusterConfig {
  const unsupported = unsupportedFields(raw);
  if (unsupported.length) {
    throw new KindConfigError(
      `${source}: unsupported kind config field${unsupported.length > 1 ? 's' : ''}:\n${unsupported.map((u) => `  - ${u}`).join('\n')}`,
    );
  }
  const result = clusterSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const where = i.path.length
        ? i.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '')
        : '(top level)';
      const msg =
        i.code === 'unrecognized_keys'
          ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')} (not part of the supported kind.x-k8s.io/v1alpha4 subset; check the spelling)`
          : i.message;
      return `  - ${where}: ${msg}`;
    });
    throw new KindConfigError(`${source}: invalid kind Cluster config:\n${lines.join('\n')}`);
  }
  const c = result.data;
  return {
    name: c.name ?? 'kind',
    nodes: c.nodes ?? [{ role: 'control-plane' }],
    networking: {
      ipFamily: 'ipv4',
      apiServerAddress: c.networking?.apiServerAddress ?? '127.0.0.1',
      apiServerPort: c.networking?.apiServerPort ?? 0,
      podSubnet: c.networking?.podSubnet ?? DEFAULT_POD_SUBNET,
      serviceSubnet: c.networking?.serviceSubnet ?? DEFAULT_SERVICE_SUBNET,
      disableDefaultCNI: c.networking?.disableDefaultCNI ?? false,
      kubeProxyMode: c.networking?.kubeProxyMode ?? 'iptables',
    },
    kubeadmConfigPatches: c.kubeadmConfigPatches ?? [],
  };
}

/** Parses kind.yaml text. */
export function parseKindConfig(text: string, source: string): KindClusterConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new KindConfigError(`${source}: not valid YAML: ${(e as Error).message}`);
  }
  return validateKindConfig(raw, source);
}

/** JSON Schema of the supported subset, for editors (monaco-yaml) and docs. */
export function kindConfigJsonSchema(): unknown {
  return z.toJSONSchema(clusterSchema, { io: 'input' });
}
