// Browser calls to /api/files and /api/manifests. Failures come back as EditorApiError carrying the server's
// message (written for learners), its code and any extra fields (conflict versions, YAML issues).
import type { DirectoryListing, FileVersion, KubectlRun, OpenedFile, SavedFile } from '../../../lab-runner/files/index.ts';
import type { KubernetesKind } from '../../../lib/k8s-schema/index.ts';

export type { DirectoryListing, FileVersion, KubectlRun, OpenedFile, SavedFile };

export class EditorApiError extends Error {
  readonly status: number;
  readonly code?: string;
  readonly body: Record<string, unknown>;
  constructor(status: number, message: string, code: string | undefined, body: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new EditorApiError(0, 'Could not reach the packetwalk server. Your text is kept in this browser; try again in a moment.', 'offline', {});
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    throw new EditorApiError(res.status, typeof json.error === 'string' ? json.error : `The server answered ${res.status}.`, typeof json.code === 'string' ? json.code : undefined, json);
  }
  return json as T;
}

const query = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();

export async function openFile(lab: string, target: string, path: string, lesson?: string): Promise<{ file: OpenedFile; allowed: string[] }> {
  return call('GET', `/api/files?${query({ lab, target, path, lesson })}`);
}

export async function fileVersion(lab: string, target: string, path: string): Promise<FileVersion> {
  return (await call<{ version: FileVersion }>('GET', `/api/files?${query({ lab, target, path, stat: '1' })}`)).version;
}

export async function saveFile(req: { lab: string; target: string; path: string; content: string; expected: string; lesson?: string }): Promise<SavedFile> {
  return (await call<{ saved: SavedFile }>('PUT', '/api/files', req)).saved;
}

export async function listDirectory(lab: string, target: string, dir?: string): Promise<DirectoryListing> {
  return (await call<{ listing: DirectoryListing }>('GET', `/api/files/list?${query({ lab, target, dir })}`)).listing;
}

export async function runManifest(action: 'apply' | 'diff', lab: string, manifest: string, forceConflicts?: boolean): Promise<KubectlRun> {
  return (await call<{ result: KubectlRun }>('POST', `/api/manifests/${action}`, { lab, manifest, ...(forceConflicts ? { forceConflicts } : {}) })).result;
}

export interface ClusterSchema {
  kubernetesVersion: string;
  kinds: KubernetesKind[];
  schema: Record<string, unknown>;
  cacheKey: string;
}

export async function clusterSchema(lab: string): Promise<ClusterSchema> {
  return call('GET', `/api/manifests/schema?${query({ lab })}`);
}
