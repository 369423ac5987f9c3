import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSandbox } from '../../../course/sandbox/load-sandbox.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import { DEFAULT_SANDBOXES_DIR } from '../../../course/sandbox/sandboxes-dir.ts';
import { sandboxJsonSchema } from '../../../course/sandbox/sandbox-json-schema.ts';
import { sandboxImages, sandboxTargets } from '../../../course/sandbox/sandbox-targets.ts';

const parse = (yaml: string) => parseSandbox(yaml, 'sandboxes/x/sandbox.yaml');
const errorOf = (yaml: string) => {
  try {
    parse(yaml);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
};

describe('sandbox.yaml (runtime: nodes)', () => {
  it('fills defaults: one internal "lan" network, the node image, role node, no setup', () => {
    const s = parse('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: node1\n');
    expect(s).toMatchObject({
      runtime: 'nodes',
      networks: [{ name: 'lan', egress: false }],
      nodes: [{ name: 'node1', image: 'packetwalk/node:latest', role: 'node' }],
      setup: [],
    });
  });

  it('parses sizes and durations into bytes and milliseconds', () => {
    const s = parse(
      'name: x\ntitle: X\nruntime: nodes\ndefaults:\n  memory: 1Gi\n  tmpSize: 512Ki\nnodes:\n  - name: n1\nsetup:\n  - target: all\n    script: "true"\n    timeout: 2m\n',
    );
    if (s.runtime !== 'nodes') throw new Error('nodes expected');
    expect(s.defaults).toEqual({ memory: 1024 ** 3, tmpSize: 512 * 1024 });
    expect(s.setup[0]).toEqual({ target: 'all', script: 'true', timeout: 120_000 });
  });

  it('names the file, the field and the fix', () => {
    const badName = errorOf('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: Node1\n');
    expect(badName).toContain('sandboxes/x/sandbox.yaml');
    expect(badName).toContain('at nodes[0].name');
    expect(badName).toMatch(/lowercase letters, digits and dashes/);
    expect(errorOf('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: n1\n    resources:\n      memory: 256MB\n')).toMatch(
      /64Mi or 1Gi[\s\S]*at nodes\[0\]\.resources\.memory/,
    );
    expect(errorOf('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: n1\n    imag: foo\n')).toMatch(/imag/);
    expect(errorOf('name: x\ntitle: X\nruntime: vm\nnodes: []\n')).toMatch(/"runtime" must be one of nodes, kind/);
    expect(errorOf('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: a\n  - name: a\n')).toMatch(/duplicate node name "a"/);
    expect(errorOf('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: a\n    networks: [wan]\n')).toMatch(/unknown network "wan"/);
    expect(errorOf('name: x\ntitle: X\nruntime: nodes\nnodes:\n  - name: a\nsetup:\n  - target: b\n    script: x\n')).toMatch(
      /unknown target "b"; use a node name \(a\) or "all"/,
    );
    expect(errorOf('name: x\ntitle: [\n')).toMatch(/not valid YAML/);
  });

  it('the template name must equal its folder name', () => {
    expect(() => parseSandbox('name: other\ntitle: X\nruntime: nodes\nnodes:\n  - name: n1\n', 'sandboxes/x/sandbox.yaml', 'x')).toThrow(
      /name "other" must equal its folder name "x"/,
    );
  });
});

describe('shipped templates', () => {
  const catalog = new SandboxCatalog(DEFAULT_SANDBOXES_DIR);

  it('every template under sandboxes/ loads', () => {
    expect(catalog.names()).toEqual(expect.arrayContaining(['nodes-1', 'nodes-2']));
    for (const name of catalog.names()) expect(() => catalog.get(name), name).not.toThrow();
  });

  it('nodes-1 has target node1, nodes-2 has node1 and node2 on one network without egress', () => {
    expect(sandboxTargets(catalog.get('nodes-1')).map((t) => t.name)).toEqual(['node1']);
    const two = catalog.get('nodes-2');
    expect(sandboxTargets(two).map((t) => t.name)).toEqual(['node1', 'node2']);
    if (two.runtime !== 'nodes') throw new Error('nodes expected');
    expect(two.networks).toEqual([{ name: 'lan', egress: false }]);
    expect(sandboxImages(two)).toEqual(['packetwalk/node:latest']);
  });

  it('an unknown template lists the known ones', () => {
    expect(() => catalog.get('nodes-9')).toThrow(/Unknown sandbox template "nodes-9". Available: .*nodes-1, nodes-2/);
  });

  it('re-reads a template when its file changes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-catalog-'));
    try {
      fs.mkdirSync(path.join(dir, 'one'));
      const file = path.join(dir, 'one', 'sandbox.yaml');
      fs.writeFileSync(file, 'name: one\ntitle: First\nruntime: nodes\nnodes:\n  - name: n1\n');
      const c = new SandboxCatalog(dir);
      expect(c.get('one').title).toBe('First');
      fs.writeFileSync(file, 'name: one\ntitle: Second\nruntime: nodes\nnodes:\n  - name: n1\n');
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      expect(c.get('one').title).toBe('Second');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sandboxes/sandbox.schema.json', () => {
  it('is up to date with the zod schema (regenerate: node course/sandbox/write-json-schema.ts)', () => {
    const committed = fs.readFileSync(path.join(DEFAULT_SANDBOXES_DIR, 'sandbox.schema.json'), 'utf8');
    expect(committed).toBe(sandboxJsonSchema());
  });

  it('describes both runtimes for editors', () => {
    const schema = JSON.parse(sandboxJsonSchema()) as { oneOf: { properties: { runtime: { const: string } } }[] };
    expect(schema.oneOf.map((s) => s.properties.runtime.const).sort()).toEqual(['kind', 'nodes']);
  });
});
