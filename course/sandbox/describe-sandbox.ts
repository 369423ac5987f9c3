// What the site and content:check need to know about a sandbox: its name, runtime, targets (terminal hosts) and, when
// the lab runner would reject it, why. Built from the one catalog (sandbox-catalog.ts), so content:check and the lab
// runner agree on what a lesson can use. A lesson names its sandbox; <Run target> and challenge tasks name targets;
// content:check verifies both.
import fs from 'node:fs';
import { sandboxTargets } from './sandbox-targets.ts';
import type { Sandbox } from './sandbox-schema.ts';

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

/** A kind Cluster config without the sandbox.yaml that names its targets: the sandbox exists, its targets are unknown. */
export const KIND_CONFIG = 'kind.yaml';

export function describeSandbox(name: string, file: string, sandbox: Sandbox): SandboxInfo {
  return {
    name,
    kind: sandbox.runtime,
    file,
    targets: sandboxTargets(sandbox).map((t) => t.name),
    title: sandbox.title,
    description: sandbox.description?.trim().split('\n')[0],
  };
}

/** A template the loader rejected: its runtime as far as the text tells, and the loader's message. */
export function describeRejectedSandbox(name: string, file: string, err: unknown): SandboxInfo {
  const runtime = /^runtime:\s*kind\b/m.test(safeRead(file)) ? 'kind' : 'nodes';
  return { name, kind: runtime, file, error: err instanceof Error ? err.message : String(err) };
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
  } catch {
    return '';
  }
}
