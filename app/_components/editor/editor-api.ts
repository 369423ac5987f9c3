// Browser calls to /api/files and /api/manifests. Failures come back as EditorApiError carrying the server's
// message (written for learners), its code and any extra fields (conflict versions, YAML issues).
import { parseErrorBody } from '../../../lab-runner/wire/error-body.ts';
import type { ClusterSchemaView, DirectoryListing, FileVersion, KubectlRun, OpenedFile, SavedFile } from '../../../lab-runner/wire/files.ts';

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
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const body = parseErrorBody(json, `The server answered ${res.status}.`);
    throw new EditorApiError(res.status, body.error, body.code, body);
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

export async function clusterSchema(lab: string): Promise<ClusterSchemaView> {
  return call('GET', `/api/manifests/schema?${query({ lab })}`);
}
