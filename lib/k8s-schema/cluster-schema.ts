// The JSON Schema of a learner's own cluster: fetched from its API server with kubectl (on the lab's jumpbox),
// converted once, and cached under DATA_DIR per Kubernetes version.
//
// Every group-version document in /openapi/v3 comes with a content hash in its URL, so the cache is exact:
// a cluster with the same version and the same CRDs reuses the converted schema; installing a CRD changes one
// hash and only that document is fetched again.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { apiVersionOfPath, isGroupVersionPath, kubectlVersionSchema, openApiDocumentSchema, openApiIndexSchema } from './openapi-document.ts';
import type { OpenApiDocument } from './openapi-document.ts';
import { openApiToJsonSchema } from './openapi-to-json-schema.ts';
import type { KubernetesJsonSchema } from './openapi-to-json-schema.ts';

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated?: boolean;
}

/** Runs kubectl with these arguments where the cluster is reachable (the lab's jumpbox) and returns its output. */
export type RunKubectl = (args: string[], opts: { maxOutputBytes: number; timeoutMs: number }) => Promise<KubectlResult>;

export class ClusterSchemaError extends Error {
  override name = 'ClusterSchemaError';
  readonly code = 'cluster-schema';
}

export interface LoadClusterSchemaOptions {
  /** Directory for cached documents and schemas, e.g. DATA_DIR/k8s-schema. */
  cacheDir: string;
  /** kubectl processes at once while fetching group-version documents. */
  concurrency?: number;
}

export interface LoadedClusterSchema extends KubernetesJsonSchema {
  /** Changes whenever the cluster's version or any of its API documents changes: usable as an ETag. */
  cacheKey: string;
  /** Group-version documents fetched from the cluster by this call (0 when everything came from the cache). */
  fetched: number;
}

// The core v1 document is a few MB; leave room for clusters with large CRDs.
const DOCUMENT_LIMIT = 32 * 1024 * 1024;
const KUBECTL_TIMEOUT_MS = 30_000;

// Converted schemas stay in memory too: a schema is several MB of JSON and every editor that opens asks for it.
const memo = new Map<string, LoadedClusterSchema>();
const MEMO_ENTRIES = 4;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9.+_-]/g, '_');
}

function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function runJson<T>(kubectl: RunKubectl, args: string[], schema: z.ZodType<T>, what: string): Promise<T> {
  const result = await kubectl(args, { maxOutputBytes: DOCUMENT_LIMIT, timeoutMs: KUBECTL_TIMEOUT_MS });
  const command = `kubectl ${args.join(' ')}`;
  if (result.exitCode !== 0) {
    throw new ClusterSchemaError(`${command} failed (exit ${result.exitCode}) while reading ${what}: ${tail(result.stderr || result.stdout) || 'no output'}`);
  }
  if (result.truncated) throw new ClusterSchemaError(`${command} returned more than ${DOCUMENT_LIMIT} bytes for ${what}; it is not read.`);
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch (err) {
    throw new ClusterSchemaError(`${command} did not return JSON for ${what}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ClusterSchemaError(`${command} returned an unexpected ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function readCached(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write-then-rename, so a reader never sees half a file even when two requests fill the cache at once. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Fetches (or reads from the cache) the cluster's OpenAPI v3 documents and returns the converted schema. */
export async function loadClusterSchema(kubectl: RunKubectl, opts: LoadClusterSchemaOptions): Promise<LoadedClusterSchema> {
  const version = (await runJson(kubectl, ['version', '-o', 'json'], kubectlVersionSchema, 'the server version')).serverVersion.gitVersion;
  const index = await runJson(kubectl, ['get', '--raw', '/openapi/v3'], openApiIndexSchema, 'the OpenAPI v3 index');
  const groupVersions = Object.entries(index.paths)
    .filter(([p]) => isGroupVersionPath(p))
    .map(([p, entry]) => ({ path: p, url: entry.serverRelativeURL, hash: new URL(entry.serverRelativeURL, 'http://api').searchParams.get('hash') }))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (!groupVersions.some((gv) => gv.path === 'api/v1')) {
    throw new ClusterSchemaError('The API server lists no api/v1 document under /openapi/v3; it does not look like a Kubernetes API server.');
  }

  const cacheKey = sha256(JSON.stringify({ version, documents: groupVersions.map((gv) => [gv.path, gv.url]) }));
  const remembered = memo.get(cacheKey);
  if (remembered) return { ...remembered, fetched: 0 };

  const versionDir = path.join(opts.cacheDir, safeSegment(version));
  const schemaFile = path.join(versionDir, `schema.${cacheKey.slice(0, 16)}.json`);
  const cachedSchema = await readCached(schemaFile);
  if (cachedSchema !== undefined) {
    const loaded: LoadedClusterSchema = { ...(JSON.parse(cachedSchema) as KubernetesJsonSchema), cacheKey, fetched: 0 };
    remember(loaded);
    return loaded;
  }

  let fetched = 0;
  const documents = await mapLimited(groupVersions, opts.concurrency ?? 4, async (gv): Promise<OpenApiDocument> => {
    // A document without a hash cannot be cached safely: fetch it every time.
    const docFile = gv.hash
      ? path.join(versionDir, 'openapi', `${safeSegment(gv.path.replaceAll('/', '__'))}.${safeSegment(gv.hash).slice(0, 16)}.json`)
      : undefined;
    const cached = docFile ? await readCached(docFile) : undefined;
    if (cached !== undefined) return openApiDocumentSchema.parse(JSON.parse(cached));
    const doc = await runJson(kubectl, ['get', '--raw', gv.url], openApiDocumentSchema, `the OpenAPI document of ${apiVersionOfPath(gv.path)}`);
    fetched += 1;
    if (docFile) await writeAtomically(docFile, JSON.stringify(doc));
    return doc;
  });

  const converted = openApiToJsonSchema(documents, version);
  await writeAtomically(schemaFile, JSON.stringify(converted));
  const loaded: LoadedClusterSchema = { ...converted, cacheKey, fetched };
  remember(loaded);
  return loaded;
}

function remember(loaded: LoadedClusterSchema): void {
  memo.set(loaded.cacheKey, { ...loaded, fetched: 0 });
  while (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
}

/** Forgets converted schemas held in memory (tests; the files under cacheDir stay). */
export function forgetLoadedSchemas(): void {
  memo.clear();
}
