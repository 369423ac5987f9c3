// Puts host images into every node's containerd the way `kind load docker-image` does: find the image's ID on
// the host; skip nodes whose containerd already has that ID under that name (re-tag when only the name is
// missing); otherwise `docker save` once and pipe the archive into
// `ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=<snapshotter> -` on each node.
// Nothing is pulled: this is how offline classrooms get agnhost, netshoot or Calico into their clusters.
import type { Readable } from 'node:stream';
import { ProvisionError } from '../errors.ts';
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

/** The snapshotter containerd's CRI plugin uses, from `containerd config dump` (kind passes it to ctr). */
export function snapshotterFromConfigDump(dump: string): string {
  const cri = dump.indexOf('io.containerd.grpc.v1.cri');
  const section = cri === -1 ? dump : dump.slice(cri);
  const m = /^\s*snapshotter\s*=\s*"([^"]+)"/m.exec(section);
  return m?.[1] ?? 'overlayfs';
}

export function ctrImportCommand(snapshotter: string): string[] {
  return ['ctr', '--namespace=k8s.io', 'images', 'import', '--all-platforms', '--digests', `--snapshotter=${snapshotter}`, '-'];
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
      throw new ProvisionError(LOAD_STEP, `image ${image} is listed for preloading but is not on the Docker host; load or build it there first (e.g. "docker load -i <file>") — labs never pull`);
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
      const archive = await readAll(await ctx.runtime.saveImage(image));
      report.archiveBytes = archive.length;
      input.onProgress?.(`importing ${image} (${(archive.length / 1e6).toFixed(1)} MB) into ${targets.map((t) => t.name).join(', ')}`);
      const cmd = ctrImportCommand(snapshotter);
      await Promise.all(targets.map((node) => runOnNode(ctx, node, LOAD_STEP, cmd, { stdin: archive, timeoutMs: 600_000 })));
      report.imported.push(...targets.map((t) => t.name));
    }
    reports.push(report);
  }
  return reports;
}
