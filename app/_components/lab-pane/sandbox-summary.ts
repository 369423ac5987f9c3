// What the lab pane says about a lesson's sandbox, computed on the server from sandboxes/<name>/.
import type { SandboxInfo } from '../../../course/sandbox/describe-sandbox.ts';

export interface SandboxSummary {
  name: string;
  kind: 'nodes' | 'kind';
  title?: string;
  description?: string;
  /** Terminal targets, e.g. ["node1", "node2"]; empty when the sandbox file does not list them. */
  targets: string[];
  /** "nodes-2 · 2 Linux nodes · ready in ~1 s" */
  line: string;
}

export function summarizeSandbox(name: string, info: SandboxInfo | undefined): SandboxSummary {
  const targets = info?.targets ?? [];
  const kind = info?.kind ?? (name.startsWith('kind') ? 'kind' : 'nodes');
  const parts = [name];
  if (kind === 'nodes') {
    if (targets.length) parts.push(`${targets.length} Linux node${targets.length === 1 ? '' : 's'}`);
    parts.push('ready in ~1 s');
  } else {
    parts.push('kind cluster');
    if (targets.length) parts.push(`${targets.length} terminal${targets.length === 1 ? '' : 's'}`);
  }
  return { name, kind, title: info?.title, description: info?.description, targets, line: parts.join(' · ') };
}
