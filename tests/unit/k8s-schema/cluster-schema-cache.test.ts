// Fetching a cluster's schema through kubectl and caching it per Kubernetes version under DATA_DIR.
// kubectl here answers from the stored fixture exactly as `kubectl get --raw` on a kind jumpbox does;
// the live fetch against a real API server is covered by the kind conformance suite.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ClusterSchemaError, forgetLoadedSchemas, loadClusterSchema } from '../../../lib/k8s-schema/index.ts';
import type { KubectlResult, RunKubectl } from '../../../lib/k8s-schema/index.ts';
import { fixtureFileForUrl, fixtureText } from './openapi-fixture.ts';

let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(path.join(tmpdir(), 'pw-k8s-schema-'));
  forgetLoadedSchemas();
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

/** kubectl over the fixture; `index` can be rewritten to simulate a CRD install or an upgrade. */
function fixtureKubectl(rewriteIndex: (text: string) => string = (t) => t) {
  const calls: string[][] = [];
  const run: RunKubectl = async (args): Promise<KubectlResult> => {
    calls.push(args);
    const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
    if (args.join(' ') === 'version -o json') return ok(fixtureText('version.json'));
    if (args[0] === 'get' && args[1] === '--raw' && args[2] === '/openapi/v3') return ok(rewriteIndex(fixtureText('index.json')));
    if (args[0] === 'get' && args[1] === '--raw' && args[2]?.startsWith('/openapi/v3/')) return ok(fixtureText(fixtureFileForUrl(args[2])));
    return { exitCode: 1, stdout: '', stderr: `error: unknown command "${args.join(' ')}"` };
  };
  return { run, calls, documentFetches: () => calls.filter((c) => c[2]?.startsWith('/openapi/v3/')).map((c) => c[2]) };
}

describe('loadClusterSchema', () => {
  test('fetches only the group-version documents, by their hashed URLs, and converts them', async () => {
    const kubectl = fixtureKubectl();
    const loaded = await loadClusterSchema(kubectl.run, { cacheDir });
    expect(loaded.kubernetesVersion).toBe('v1.37.0');
    expect(loaded.fetched).toBe(2);
    // The documents are fetched concurrently (each after its own cache lookup): their order is not part of the contract.
    expect(kubectl.documentFetches().sort()).toEqual([
      expect.stringMatching(/^\/openapi\/v3\/api\/v1\?hash=8C3C/),
      expect.stringMatching(/^\/openapi\/v3\/apis\/networking\.k8s\.io\/v1\?hash=5E6F/),
    ]);
    expect(loaded.kinds.map((k) => k.kind)).toEqual(['NetworkPolicy', 'ConfigMap', 'Namespace', 'Pod', 'Service']);
    expect(readdirSync(path.join(cacheDir, 'v1.37.0')).filter((f) => f.startsWith('schema.'))).toHaveLength(1);
  });

  test('a second load (even after a restart) reads the cache: no document is fetched again', async () => {
    const first = await loadClusterSchema(fixtureKubectl().run, { cacheDir });
    forgetLoadedSchemas(); // as after a server restart: only the files under cacheDir remain
    const kubectl = fixtureKubectl();
    const second = await loadClusterSchema(kubectl.run, { cacheDir });
    expect(second.fetched).toBe(0);
    expect(kubectl.documentFetches()).toEqual([]);
    expect(second.cacheKey).toBe(first.cacheKey);
    expect(second.schema).toEqual(first.schema);
  });

  test('a changed document (a CRD install, a new hash) is fetched again; the unchanged one comes from the cache', async () => {
    const first = await loadClusterSchema(fixtureKubectl().run, { cacheDir });
    const kubectl = fixtureKubectl((t) => t.replace('networking.k8s.io/v1?hash=5E6F', 'networking.k8s.io/v1?hash=AAAA'));
    const second = await loadClusterSchema(kubectl.run, { cacheDir });
    expect(second.cacheKey).not.toBe(first.cacheKey);
    expect(second.fetched).toBe(1);
    expect(kubectl.documentFetches()).toEqual([expect.stringContaining('networking.k8s.io/v1?hash=AAAA')]);
  });

  test('an unreachable API server gives an error that quotes kubectl', async () => {
    const down: RunKubectl = async () => ({
      exitCode: 1,
      stdout: '',
      stderr: 'The connection to the server kind-control-plane:6443 was refused - did you specify the right host or port?',
    });
    const err = await loadClusterSchema(down, { cacheDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterSchemaError);
    expect((err as Error).message).toContain('kubectl version -o json failed (exit 1)');
    expect((err as Error).message).toContain('connection to the server kind-control-plane:6443 was refused');
  });

  test('a document that is not JSON is named in the error', async () => {
    const kubectl = fixtureKubectl();
    const broken: RunKubectl = async (args, opts) =>
      args[2]?.startsWith('/openapi/v3/apis/networking') ? { exitCode: 0, stdout: '<html>', stderr: '' } : kubectl.run(args, opts);
    await expect(loadClusterSchema(broken, { cacheDir })).rejects.toThrow(/did not return JSON for the OpenAPI document of networking\.k8s\.io\/v1/);
  });
});
