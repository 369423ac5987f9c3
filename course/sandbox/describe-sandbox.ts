// Which sandboxes exist and which targets (terminal hosts) each offers, read from sandboxes/<name>/ with the
// lab-runner's own loader, so content:check and the lab runner agree on what a lesson can use.
// A lesson names its sandbox; <Run target> and challenge tasks name targets; content:check verifies both.
import fs from 'node:fs';
import path from 'node:path';
import { loadSandboxFile, SANDBOX_FILE } from './load-sandbox.ts';
import { sandboxTargets } from './sandbox-targets.ts';

export interface SandboxInfo {
  name: string;
  kind: 'nodes' | 'kind';
  /** sandbox.yaml (or a bare kind.yaml). */
  file: string;
  /** Target names (node1, node2, jumpbox…); undefined when they cannot be known (invalid or bare kind.yaml). */
  targets?: string[];
  title?: string;
  description?: string;
  /** Why the lab runner would reject this sandbox, when it would. */
  error?: string;
}

const KIND_CONFIG = 'kind.yaml';

export function readSandboxCatalog(sandboxesDir: string): Map<string, SandboxInfo> {
  const catalog = new Map<string, SandboxInfo>();
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(/*turbopackIgnore: true*/ sandboxesDir, { withFileTypes: true });
  } catch {
    return catalog;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    // Read at build time from a configurable root; not files the server bundle needs traced.
    const sandboxFile = path.join(/*turbopackIgnore: true*/ sandboxesDir, entry.name, SANDBOX_FILE);
    const kindFile = path.join(/*turbopackIgnore: true*/ sandboxesDir, entry.name, KIND_CONFIG);
    if (fs.existsSync(/*turbopackIgnore: true*/ sandboxFile)) {
      catalog.set(entry.name, describe(entry.name, sandboxFile));
    } else if (fs.existsSync(/*turbopackIgnore: true*/ kindFile)) {
      // A kind Cluster config without the sandbox.yaml that names its targets: it exists, targets unknown.
      catalog.set(entry.name, { name: entry.name, kind: 'kind', file: kindFile });
    }
  }
  return catalog;
}

function describe(name: string, file: string): SandboxInfo {
  try {
    const sandbox = loadSandboxFile(file);
    return {
      name,
      kind: sandbox.runtime,
      file,
      targets: sandboxTargets(sandbox).map((t) => t.name),
      title: sandbox.title,
      description: sandbox.description?.trim().split('\n')[0],
    };
  } catch (err) {
    const runtime = /^runtime:\s*kind\b/m.test(safeRead(file)) ? 'kind' : 'nodes';
    return { name, kind: runtime, file, error: err instanceof Error ? err.message : String(err) };
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
  } catch {
    return '';
  }
}
