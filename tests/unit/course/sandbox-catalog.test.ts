// The one sandbox catalog (course/sandbox/sandbox-catalog.ts): the engine's validated templates and the site's and
// content:check's descriptions come from the same loader and cache, so they agree, and both see an edit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeError } from '../../../app/api/_lib/error-response.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import { SandboxError } from '../../../course/sandbox/sandbox-error.ts';
import { sandboxTargets } from '../../../course/sandbox/sandbox-targets.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-catalog-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string, mtime?: Date): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  if (mtime) fs.utimesSync(file, mtime, mtime);
}

const nodes = (...names: string[]) => `name: two\ntitle: Test\nruntime: nodes\nnodes:\n${names.map((n) => `  - name: ${n}\n`).join('')}`;
write('two/sandbox.yaml', nodes('node1'), new Date(1_000_000));
write('broken/sandbox.yaml', 'name: broken\ntitle: Broken\nruntime: nodes\n');
write('bare-kind/kind.yaml', 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n');
write('not-a-sandbox/README.md', 'nothing here\n');
write('loose-file.yaml', 'name: loose\n');

describe('SandboxCatalog', () => {
  const catalog = new SandboxCatalog(dir);

  it("describes every sandbox folder: valid with its targets, rejected with the loader's message, a bare kind.yaml with unknown targets", () => {
    const described = catalog.describe();
    expect([...described.keys()].sort()).toEqual(['bare-kind', 'broken', 'two']);
    expect(described.get('two')).toMatchObject({ name: 'two', kind: 'nodes', targets: ['node1'], title: 'Test' });
    expect(described.get('two')!.error).toBeUndefined();
    expect(described.get('broken')).toMatchObject({ name: 'broken', kind: 'nodes' });
    expect(described.get('broken')!.targets).toBeUndefined();
    expect(described.get('broken')!.error).toMatch(/broken\/sandbox\.yaml is not a valid sandbox template/);
    expect(described.get('bare-kind')).toEqual({ name: 'bare-kind', kind: 'kind', file: path.join(dir, 'bare-kind', 'kind.yaml') });
  });

  it('gives the engine validated templates only, and the same verdict on a rejected one', () => {
    expect(catalog.names()).toEqual(['broken', 'two']);
    expect(sandboxTargets(catalog.get('two')).map((t) => t.name)).toEqual(['node1']);
    let err: unknown;
    try {
      catalog.get('broken');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SandboxError);
    expect((err as SandboxError).message).toBe(catalog.describe().get('broken')!.error);
    expect(() => catalog.get('bare-kind')).toThrow(/Unknown sandbox template "bare-kind"\. Available: broken, two/);
  });

  it('sees an edited sandbox.yaml in both views (the cache is keyed by mtime)', () => {
    expect(catalog.describe().get('two')!.targets).toEqual(['node1']);
    write('two/sandbox.yaml', nodes('node1', 'node2'), new Date(2_000_000));
    expect(catalog.describe().get('two')!.targets).toEqual(['node1', 'node2']);
    expect(sandboxTargets(catalog.get('two')).map((t) => t.name)).toEqual(['node1', 'node2']);
  });

  it('is an empty catalog for a directory that does not exist', () => {
    const missing = new SandboxCatalog(path.join(dir, 'nope'));
    expect(missing.names()).toEqual([]);
    expect(missing.describe().size).toBe(0);
  });
});

describe('SandboxError', () => {
  it("carries the engine's sandbox-invalid code, which the lab routes answer with 422, without being an engine class", () => {
    const err = new SandboxError('/x/sandbox.yaml', 'Unknown sandbox template "x".');
    expect(err.code).toBe('sandbox-invalid');
    expect(err.file).toBe('/x/sandbox.yaml');
    expect(describeError(err)).toEqual({ status: 422, body: { error: 'Unknown sandbox template "x".', code: 'sandbox-invalid' } });
  });
});
