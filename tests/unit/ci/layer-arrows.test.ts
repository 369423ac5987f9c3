// Layers run one way (issue #14): app -> course + lab-runner + lib; lab-runner -> course + lib; course -> lib; lib ->
// nothing of ours. eslint.config.mjs fences static imports of course/ and lib/; this test also sees dynamic imports and
// app/, and fails on any cycle between top-level folders. tests/, bench/ and tools/ may import anything.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { layerCycles, layerEdges, type LayerEdge } from '../_lib/import-graph.ts';

const root = path.join(import.meta.dirname, '../../..');

/** What each layer may import besides itself. Root files (server.ts, next.config.mjs…) are the site's entry points. */
const ALLOWED: Record<string, readonly string[]> = {
  app: ['course', 'lab-runner', 'lib'],
  'lab-runner': ['course', 'lib'],
  course: ['lib'],
  lib: [],
};
const FREE = new Set(['tests', 'bench', 'tools']);

function backArrows(edges: readonly LayerEdge[]): string[] {
  return edges
    .filter((e) => ALLOWED[e.from] && !ALLOWED[e.from]!.includes(e.to))
    .map((e) => `${e.from} -> ${e.to}: ${e.via}`)
    .sort();
}

const productEdges = (edges: readonly LayerEdge[]) => edges.filter((e) => !FREE.has(e.from));

describe('arrows between top-level folders', () => {
  const edges = layerEdges(root);

  it('sees the arrows the layers are made of (so an empty walk cannot pass)', () => {
    const arrows = new Set(edges.map((e) => `${e.from} -> ${e.to}`));
    for (const a of ['app -> course', 'app -> lab-runner', 'lab-runner -> course', 'lab-runner -> lib', 'course -> lib']) expect(arrows).toContain(a);
  });

  it('has no arrow a layer may not have', () => {
    expect(backArrows(edges)).toEqual([]);
  });

  it('has no cycle between top-level folders', () => {
    expect(layerCycles(productEdges(edges))).toEqual([]);
  });
});

describe('the layer check itself', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('lib/log.ts', "import type { Lesson } from '../course/model.ts';\nexport const log = (l: Lesson) => l;\n");
  write(
    'course/model.ts',
    "import { log } from '../lib/log.ts';\nexport type Lesson = string;\nexport const load = () => import('../lab-runner/engine.ts');\nlog('x');\n",
  );
  write('lab-runner/engine.ts', "export { load } from '../course/model.ts';\n");
  write('tests/anything.test.ts', "import '../lab-runner/engine.ts';\nimport '../lib/log.ts';\n");

  it('reports back arrows, type-only and dynamic imports included', () => {
    expect(backArrows(layerEdges(dir))).toEqual([
      'course -> lab-runner: course/model.ts => lab-runner/engine.ts',
      'lib -> course: lib/log.ts => course/model.ts',
    ]);
  });

  it('reports each cycle once, and not the free folders', () => {
    expect(layerCycles(productEdges(layerEdges(dir)))).toEqual(['course -> lab-runner -> course', 'course -> lib -> course']);
  });
});

describe('the lint fence (eslint.config.mjs)', () => {
  const lint = async (filePath: string, code: string) => {
    const { ESLint } = await import('eslint');
    const [result] = await new ESLint({ cwd: root }).lintText(code, { filePath: path.join(root, filePath) });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${m.line}: ${m.message.split(' import is restricted')[0]}`);
  };

  it('refuses course/ importing the engine or the site, and lib/ importing anything of ours, type-only imports included', async () => {
    const course =
      "import type { Lab } from '../../lab-runner/index.ts';\nimport { x } from '../../app/x.ts';\nimport { log } from '../../lib/log.ts';\nexport const y: [Lab?, unknown?, unknown?] = [undefined, x, log];\n";
    expect(await lint('course/content/probe.ts', course)).toEqual(["1: '../../lab-runner/index.ts'", "2: '../../app/x.ts'"]);
    const lib =
      "import type { Sandbox } from '../course/index.ts';\nimport { LAB_ID_PATTERN } from '../lab-runner/index.ts';\nimport { parseCidr } from './net/cidr.ts';\nexport const y: [Sandbox?, unknown?, unknown?] = [undefined, LAB_ID_PATTERN, parseCidr];\n";
    expect(await lint('lib/probe.ts', lib)).toEqual(["1: '../course/index.ts'", "2: '../lab-runner/index.ts'"]);
  }, 60_000);

  it('still lets the engine import the course model, and keeps the dockerode fence on the fenced layers', async () => {
    expect(await lint('lab-runner/lab/probe.ts', "import { SandboxCatalog } from '../../course/index.ts';\nexport const c = SandboxCatalog;\n")).toEqual([]);
    expect(await lint('course/probe.ts', "import Docker from 'dockerode';\nexport const d = Docker;\n")).toEqual(["1: 'dockerode'"]);
  }, 60_000);
});
