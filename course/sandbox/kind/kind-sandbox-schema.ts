// sandboxes/<name>/sandbox.yaml for `runtime: kind` templates. The generic template loader (course/sandbox/)
// dispatches here on `runtime: kind`; this module owns the kind-specific fields and loads the referenced kind.yaml.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { parseKindConfig, type KindClusterConfig } from './kind-config-schema.ts';
import { kubernetesVersionOfImage, parsePinnedRef } from './node-images.ts';
import { JUMPBOX_USER } from './target-images.ts';
import { planNodes } from './node-plan.ts';
import { listSandboxFiles, type SandboxFile } from './sandbox-files.ts';

const targetName = z.string().regex(/^[a-z][a-z0-9-]*$/, { message: 'target name must be lower-case, e.g. node1' });
const nodeSuffix = z.string().regex(/^(control-plane|worker)\d*$/, { message: 'node must be a kind node suffix such as control-plane, worker or worker2' });
/** The user terminals and checks run as on this target (LabTarget.user). */
const execUser = z.string().regex(/^[a-z_][a-z0-9_-]*$/, { message: 'user must be a user name that exists in the image, e.g. learner' });

const targetSchema = z.union([
  z.strictObject({
    name: targetName,
    kind: z.literal('jumpbox'),
    title: z.string().min(1).optional(),
    /** The jumpbox image's learner owns ~/.kube (0700): terminals and checks must run as that user, not root. */
    user: execUser.default(JUMPBOX_USER),
  }),
  z.strictObject({
    name: targetName,
    kind: z.literal('node'),
    /** The kind node it maps to, by suffix: "control-plane", "worker", "worker2"… A shell in the node container. */
    node: nodeSuffix,
    title: z.string().min(1).optional(),
    user: execUser.optional(),
  }),
  z.strictObject({
    name: targetName,
    /**
     * A toolbox container (packetwalk/node: ping, dig, jq, tcpdump, dnsmasq, traceroute…) sharing the kind node's
     * network namespace: same interfaces, routes and iptables, its own filesystem. Lessons written for bare nodes
     * (node1, node2) run on kind workers through it; see lab-runner/kind/node-toolbox.ts.
     */
    kind: z.literal('toolbox'),
    node: nodeSuffix,
    title: z.string().min(1).optional(),
    user: execUser.optional(),
  }),
]);

export const kindSandboxSchema = z.strictObject({
  name: z.string().regex(/^kind-[a-z0-9-]+$/, { message: 'kind template names start with "kind-"' }),
  title: z.string().min(1),
  description: z.string().min(1).optional(),
  runtime: z.literal('kind'),
  /** Path of the kind Cluster config, relative to sandbox.yaml. */
  kindConfig: z.string().min(1).default('kind.yaml'),
  nodeImage: z.string().refine((r) => parsePinnedRef(r) !== undefined && kubernetesVersionOfImage(r) !== undefined, {
    message: 'nodeImage must be pinned by digest, e.g. kindest/node:v1.35.8@sha256:<64 hex> (see course/sandbox/kind/node-images.ts)',
  }),
  /** Host images loaded into every node's containerd, `kind load docker-image` style (nothing is pulled). */
  preloadImages: z.array(z.string().min(1)).default([]),
  jumpbox: z.strictObject({ image: z.string().min(1).optional() }).default({}),
  /** Image of the toolbox targets (default packetwalk/node:latest, the bare-node lessons' image). */
  toolbox: z.strictObject({ image: z.string().min(1).optional() }).default({}),
  targets: z.array(targetSchema).min(1),
});

export type KindSandboxInput = z.input<typeof kindSandboxSchema>;
export type KindSandboxFile = z.output<typeof kindSandboxSchema>;
export type KindTarget = KindSandboxFile['targets'][number];

export interface KindTemplate extends KindSandboxFile {
  dir: string;
  cluster: KindClusterConfig;
  /** Files under sandboxes/<name>/files/, copied to the jumpbox under /opt/packetwalk/ (sandbox-files.ts). */
  files: SandboxFile[];
}

export class KindTemplateError extends Error {
  override name = 'KindTemplateError';
}

/**
 * Validates a parsed sandbox.yaml (runtime: kind) plus its kind.yaml; `file` names sandbox.yaml in messages.
 * Also lists (and checks) the files/ directory next to sandbox.yaml, when there is one.
 */
export function validateKindTemplate(raw: unknown, kindYamlText: string, file: string): KindTemplate {
  const r = kindSandboxSchema.safeParse(raw);
  if (!r.success) throw new KindTemplateError(`${file}: invalid kind sandbox:\n${z.prettifyError(r.error)}`);
  const dir = path.dirname(file);
  const cluster = parseKindConfig(kindYamlText, path.join(dir, r.data.kindConfig));
  // Every node target must name a node the cluster really has.
  const suffixes = new Set(planNodes('x', cluster, r.data.nodeImage).map((n) => n.suffix));
  for (const t of r.data.targets) {
    if (t.kind !== 'jumpbox' && !suffixes.has(t.node)) {
      throw new KindTemplateError(`${file}: target "${t.name}" maps to kind node "${t.node}", but ${r.data.kindConfig} only has ${[...suffixes].join(', ')}`);
    }
  }
  const names = r.data.targets.map((t) => t.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new KindTemplateError(`${file}: target name "${dup}" is used twice`);
  let files: SandboxFile[];
  try {
    files = listSandboxFiles(dir);
  } catch (e) {
    throw new KindTemplateError(`${file}: ${(e as Error).message}`);
  }
  return { ...r.data, dir, cluster, files };
}

export async function loadKindTemplate(sandboxYamlPath: string): Promise<KindTemplate> {
  const text = await readFile(sandboxYamlPath, 'utf8');
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new KindTemplateError(`${sandboxYamlPath}: not valid YAML: ${(e as Error).message}`);
  }
  const kindConfigRel = (raw as { kindConfig?: unknown })?.kindConfig;
  const kindPath = path.join(path.dirname(sandboxYamlPath), typeof kindConfigRel === 'string' ? kindConfigRel : 'kind.yaml');
  let kindText: string;
  try {
    kindText = await readFile(kindPath, 'utf8');
  } catch {
    throw new KindTemplateError(`${sandboxYamlPath}: kindConfig ${kindPath} cannot be read; add the kind Cluster config next to sandbox.yaml`);
  }
  return validateKindTemplate(raw, kindText, sandboxYamlPath);
}
