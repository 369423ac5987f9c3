// Puts host images into every node's containerd the way `kind load docker-image` does: find the image's ID on
// the host; skip nodes whose containerd already has that ID under that name (re-tag when only the name is
// missing); otherwise `docker save` once and pipe the archive into
// `ctr --namespace=k8s.io images import --digests --snapshotter=<snapshotter> --platform=<engine's> -` on each node.
// One deliberate difference from kind: kind imports --all-platforms, which fails on Docker's containerd image store
// (the default on fresh Docker ≥ 29 installs: a saved multi-platform image lists platforms whose content was never
// pulled, "content digest … not found", kind issues #3795/#4236). packetwalk saves and imports the engine's own
// platform only, which is the only one a node can run.
// Nothing is pulled: this is how offline classrooms get agnhost, netshoot or Calico into their clusters.
import type { Readable } from 'node:stream';
import { parse as parseToml } from 'smol-toml';
import { ProvisionError } from '../errors.ts';
import type { EngineInfo } from '../runtime/container-runtime.ts';
import type { NodeExecContext, NodeRef } from './node-exec.ts';
import { runOnNode } from './node-exec.ts';

export const LOAD_STEP = 'load images';

/** containerd stores fully-qualified names: "agnhost:2.53" is "docker.io/library/agnhost:2.53". */
export function normalizeImageRef(ref: string): string {
  const [namePart, ...digest] = ref.split('@');
  let name = namePart!;
  const firstSlash = name.indexOf('/');
  const domain = firstSlash === -1 ? '' : name.slice(0, firstSlash);
  const hasDomain = domain.includes('.') || domain.includes(':') || domain === 'localhost';
  if (!hasDomain) name = firstSlash === -1 ? `docker.io/library/${name}` : `docker.io/${name}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && digest.length === 0) name = `${name}:latest`;
  return digest.length ? `${name}@${digest.join('@')}` : name;
}

function pathIn(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return cur;
}

/**
 * The snapshotter containerd's CRI plugin uses, from `containerd config dump` (kind passes it to ctr), read with a
 * TOML parser at kind's key paths: config version 2 (containerd 1.x) and 3/4 (containerd 2.x). Throws when absent.
 */
export function snapshotterFromConfigDump(dump: string): string {
  const config = parseToml(dump);
  const version = config.version;
  const path =
    version === 2
      ? ['plugins', 'io.containerd.grpc.v1.cri', 'containerd', 'snapshotter']
      : version === 3 || version === 4
        ? ['plugins', 'io.containerd.cri.v1.images', 'snapshotter']
        : undefined;
  if (!path) throw new Error(`unknown containerd config version ${String(version)} (supported: 2, 3 and 4)`);
  const snapshotter = pathIn(config, path);
  if (typeof snapshotter !== 'string' || !snapshotter) throw new Error(`containerd config version ${version} has no ${path.slice(1).join('.')}`);
  return snapshotter;
}

/** OCI platform string, e.g. "linux/amd64". */
export function platformString(p: { os: string; architecture: string }): string {
  return `${p.os}/${p.architecture}`;
}

export function ctrImportCommand(snapshotter: string, platform?: { os: string; architecture: string }): string[] {
  return [
    'ctr',
    '--namespace=k8s.io',
    'images',
    'import',
    '--digests',
    `--snapshotter=${snapshotter}`,
    ...(platform ? [`--platform=${platformString(platform)}`] : []),
    '-',
  ];
}

export interface PreloadPlan {
  /** Options for ContainerRuntime.saveImage: the engine's platform when the API can filter by it (≥ 1.48). */
  save: { platform?: { os: string; architecture: string } };
  /** The platform ctr imports (the engine's; ctr's default platform otherwise). */
  importPlatform?: { os: string; architecture: string };
}

function apiAtLeast(v: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return !!m && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

/** How images are saved and imported on this engine: one platform, both on the classic and the containerd store. */
export function preloadPlan(e: Pick<EngineInfo, 'apiVersion' | 'platform'>): PreloadPlan {
  const platform = e.platform;
  return { save: platform && apiAtLeast(e.apiVersion, 1, 48) ? { platform } : {}, ...(platform ? { importPlatform: platform } : {}) };
}

/** What the node's CRI knows about an image name: its ID, or undefined when absent. */
async function imageIdOnNode(ctx: NodeExecContext, node: NodeRef, ref: string): Promise<{ id: string; repoTags: string[] } | undefined> {
  const r = await ctx.runtime.exec(node.id, { privileged: ctx.privileged, cmd: ['crictl', 'inspecti', '-o', 'json', ref] });
  if (r.exitCode !== 0) return undefined;
  try {
    const parsed = JSON.parse(r.stdout) as { status?: { id?: string; repoTags?: string[] } };
    return parsed.status?.id ? { id: parsed.status.id, repoTags: parsed.status.repoTags ?? [] } : undefined;
  } catch {
    return undefined;
  }
}

export type LoadDecision = { action: 'skip' } | { action: 'retag'; from: string } | { action: 'import' };

/** Decides per node, as kind does, from the host image ID and what `crictl inspecti` says. */
export async function decideLoad(ctx: NodeExecContext, node: NodeRef, ref: string, hostImageId: string): Promise<LoadDecision> {
  const byName = await imageIdOnNode(ctx, node, normalizeImageRef(ref));
  if (byName?.id === hostImageId) return { action: 'skip' };
  const byId = await imageIdOnNode(ctx, node, hostImageId);
  if (byId && byId.repoTags[0]) return { action: 'retag', from: byId.repoTags[0] };
  return { action: 'import' };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export interface LoadImagesInput {
  ctx: NodeExecContext;
  nodes: NodeRef[];
  images: string[];
  onProgress?: (line: string) => void;
  /** From preloadPlan(engine info); default: no platform filter. */
  plan?: PreloadPlan;
}

export interface LoadReport {
  image: string;
  imported: string[];
  retagged: string[];
  skipped: string[];
  archiveBytes: number;
}

export async function loadImages(input: LoadImagesInput): Promise<LoadReport[]> {
  const { ctx, nodes, images } = input;
  const reports: LoadReport[] = [];
  let snapshotter: string | undefined;
  for (const image of images) {
    const info = await ctx.runtime.inspectImage(image);
    if (!info) {
      throw new ProvisionError(
        LOAD_STEP,
        `image ${image} is listed for preloading but is not on the Docker host; load or build it there first (e.g. "docker load -i <file>") — labs never pull`,
      );
    }
    const report: LoadReport = { image, imported: [], retagged: [], skipped: [], archiveBytes: 0 };
    const decisions = await Promise.all(nodes.map(async (n) => ({ node: n, d: await decideLoad(ctx, n, image, info.id) })));
    for (const { node, d } of decisions) {
      if (d.action === 'skip') report.skipped.push(node.name);
      if (d.action === 'retag') {
        await runOnNode(ctx, node, LOAD_STEP, ['ctr', '--namespace=k8s.io', 'images', 'tag', '--force', d.from, normalizeImageRef(image)]);
        report.retagged.push(node.name);
      }
    }
    const targets = decisions.filter((x) => x.d.action === 'import').map((x) => x.node);
    if (targets.length) {
      if (!snapshotter) {
        const dump = await runOnNode(ctx, targets[0]!, LOAD_STEP, ['containerd', 'config', 'dump'], { maxOutputBytes: 4 * 1024 * 1024 });
        snapshotter = snapshotterFromConfigDump(dump.stdout);
      }
      input.onProgress?.(`saving ${image}`);
      // Saved once, imported on every node concurrently. The archive is held in memory because exec stdin takes
      // a Buffer (ContainerRuntime.exec); see docs/kind.md for the cost.
      const archive = await readAll(await ctx.runtime.saveImage(image, input.plan?.save));
      report.archiveBytes = archive.length;
      input.onProgress?.(`importing ${image} (${(archive.length / 1e6).toFixed(1)} MB) into ${targets.map((t) => t.name).join(', ')}`);
      const cmd = ctrImportCommand(snapshotter, input.plan?.importPlatform);
      await Promise.all(targets.map((node) => runOnNode(ctx, node, LOAD_STEP, cmd, { stdin: archive, timeoutMs: 600_000 })));
      report.imported.push(...targets.map((t) => t.name));
    }
    reports.push(report);
  }
  return reports;
}
