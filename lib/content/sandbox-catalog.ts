// Which sandboxes exist and which targets (terminal hosts) each offers, read from sandboxes/<name>/.
// A lesson names its sandbox; <Run target> and challenge tasks name targets; content:check verifies both.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface SandboxInfo {
  name: string;
  kind: 'nodes' | 'kind';
  /** sandbox.yaml or kind.yaml. */
  file: string;
  /** Target names (node1, node2, jumpbox…); undefined when the file does not list them. */
  targets?: string[];
  title?: string;
  /** A one-line description when the sandbox file has one. */
  description?: string;
}

export function readSandboxCatalog(sandboxesDir: string): Map<string, SandboxInfo> {
  const catalog = new Map<string, SandboxInfo>();
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(sandboxesDir, { withFileTypes: true });
  } catch {
    return catalog;
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    for (const [fileName, kind] of [
      ['sandbox.yaml', 'nodes'],
      ['kind.yaml', 'kind'],
    ] as const) {
      // Read at build time from a configurable root; not a file the server bundle needs traced.
      const file = path.join(/*turbopackIgnore: true*/ sandboxesDir, entry.name, fileName);
      if (!fs.existsSync(/*turbopackIgnore: true*/ file)) continue;
      const described = describeSandbox(file);
      // A kind template is a sandbox.yaml with "runtime: kind" beside its kind.yaml (or a bare kind.yaml).
      const isKind = kind === 'kind' || described.runtime === 'kind';
      catalog.set(entry.name, { name: entry.name, kind: isKind ? 'kind' : 'nodes', file, targets: described.targets, title: described.title, description: described.description });
      break;
    }
  }
  return catalog;
}

/**
 * A deliberately small reading of the sandbox file: only the target names and a description.
 * The lab-runner owns the full schema and validates it; here a file it would reject still counts as existing.
 */
function describeSandbox(file: string): Pick<SandboxInfo, 'targets' | 'title' | 'description'> & { runtime?: string } {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  if (!doc || typeof doc !== 'object') return {};
  const d = doc as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const list = d.targets ?? d.nodes;
  let targets: string[] | undefined;
  if (Array.isArray(list)) {
    const names = list.map((n) => (typeof n === 'string' ? n : n && typeof n === 'object' ? (n as { name?: unknown }).name : undefined));
    if (names.every((n): n is string => typeof n === 'string')) targets = names;
  } else if (list && typeof list === 'object') {
    targets = Object.keys(list);
  }
  return { targets, title: str(d.title), description: str(d.description) ?? str(d.summary), runtime: str(d.runtime) };
}
