// The on-disk form of a recording of what the map reads in a kind lab (kube-record.ts writes it, the kind-view tests
// read it): one folder per lab state with
//   manifest.json       which cluster, when, and the files below
//   kube-list.json      the answer of KUBE_VIEW_QUERY on the jumpbox, with only the fields the model ignores removed
//   nodes/<target>.json each node target's collector output as { token, stdout } (like tests/fixtures/network/*.json)
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const KUBE_RECORDING_FORMAT = 'packetwalk-kube-recording/1';

export const kubeRecordingManifest = z.object({
  format: z.literal(KUBE_RECORDING_FORMAT),
  /** The folder's name: the lesson id with "/" as "__", or what the caller chose. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  recordedAt: z.iso.datetime(),
  lab: z.object({ template: z.string(), lesson: z.string().optional() }),
  /** The kind release whose node images packetwalk pins (course/sandbox/kind/node-images.ts). */
  kindRelease: z.string(),
  nodeImage: z.string(),
  /** The API server's gitVersion and the jumpbox kubectl's, from `kubectl version -o json`. */
  kubernetesVersion: z.string(),
  kubectlVersion: z.string(),
  /** The query whose answer kube-list.json is. */
  query: z.array(z.string()),
  /** Metadata fields removed from every object (the kind views read only name, namespace and labels). */
  stripped: z.array(z.string()),
  /** Kubernetes objects read twice around the node reads until both reads agreed (see kube-record.ts). */
  reads: z.number().int().positive(),
  nodes: z.array(z.object({ target: z.string(), file: z.string() })).min(1),
  counts: z.object({ nodes: z.number().int(), pods: z.number().int(), services: z.number().int(), endpointSlices: z.number().int() }),
});
export type KubeRecordingManifest = z.infer<typeof kubeRecordingManifest>;

const nodeRead = z.object({ token: z.string().min(1), stdout: z.string() });

export interface KubeRecording {
  dir: string;
  manifest: KubeRecordingManifest;
  /** The List as recorded (a `v1` List of mixed kinds). */
  kubeList: unknown;
  nodes: { target: string; token: string; stdout: string }[];
}

/** "services/services-and-kube-proxy" -> "services__services-and-kube-proxy". */
export function recordingName(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/\//g, '__')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'recording'
  );
}

export async function writeKubeRecording(
  root: string,
  rec: { manifest: Omit<KubeRecordingManifest, 'nodes'>; kubeList: unknown; nodes: { target: string; token: string; stdout: string }[] },
): Promise<string> {
  const dir = path.join(root, rec.manifest.name);
  await mkdir(path.join(dir, 'nodes'), { recursive: true });
  const nodes = rec.nodes.map((n) => ({ target: n.target, file: `nodes/${recordingName(n.target)}.json` }));
  const manifest = kubeRecordingManifest.parse({ ...rec.manifest, nodes });
  await writeFile(path.join(dir, 'kube-list.json'), JSON.stringify(rec.kubeList, null, 1));
  for (const [i, n] of rec.nodes.entries()) await writeFile(path.join(dir, nodes[i]!.file), JSON.stringify({ token: n.token, stdout: n.stdout }));
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** Every recording under `root` (each folder holding a manifest.json), sorted by name. */
export async function readKubeRecordings(root: string): Promise<KubeRecording[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const out: KubeRecording[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(root, e.name);
    const manifestText = await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
    if (manifestText === undefined) continue;
    const manifest = kubeRecordingManifest.parse(JSON.parse(manifestText));
    const kubeList = JSON.parse(await readFile(path.join(dir, 'kube-list.json'), 'utf8')) as unknown;
    const nodes = await Promise.all(
      manifest.nodes.map(async (n) => ({ target: n.target, ...nodeRead.parse(JSON.parse(await readFile(path.join(dir, n.file), 'utf8'))) })),
    );
    out.push({ dir, manifest, kubeList, nodes });
  }
  return out;
}
