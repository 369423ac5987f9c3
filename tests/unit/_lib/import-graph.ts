// The import graph between a repository's top-level folders (app, course, lab-runner, lib…; a file at the root is its
// own node), read with TypeScript's own pre-processor so static, type-only, re-export and dynamic imports all count.
// Used by the layer test; the same view as the closing note's graph, in code that can fail a build.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const SKIP = new Set(['node_modules', '.next', '.git', 'test-results', 'playwright-report', 'data', 'fixtures']);

export interface LayerEdge {
  from: string;
  to: string;
  /** "file => imported file", repo-relative, for the failure message. */
  via: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

export function topLevelOf(root: string, file: string): string {
  return path.relative(root, file).split(path.sep)[0]!;
}

/** Every relative import that crosses from one top-level node to another. */
export function layerEdges(root: string): LayerEdge[] {
  const edges: LayerEdge[] = [];
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (!target.startsWith(root + path.sep)) continue;
      const from = topLevelOf(root, file);
      const to = topLevelOf(root, target);
      if (from !== to) edges.push({ from, to, via: `${path.relative(root, file)} => ${path.relative(root, target)}` });
    }
  }
  return edges;
}

/** Cycles between nodes (each reported once, as "a -> b -> a"), by depth-first search over the distinct arrows. */
export function layerCycles(edges: readonly LayerEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const cycles = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    const at = trail.indexOf(node);
    if (at !== -1) {
      const loop = trail.slice(at);
      // The same loop found from another start is one cycle: rotate it to start at its smallest node.
      const start = loop.indexOf([...loop].sort()[0]!);
      const canonical = [...loop.slice(start), ...loop.slice(0, start)];
      cycles.add([...canonical, canonical[0]].join(' -> '));
      return;
    }
    for (const to of next.get(node) ?? []) visit(to, [...trail, node]);
  };
  for (const node of next.keys()) visit(node, []);
  return [...cycles].sort();
}
