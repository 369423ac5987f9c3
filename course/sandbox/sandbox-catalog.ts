// All sandbox templates under one directory (sandboxes/ by default), loaded on demand and re-read when the file changes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxError } from './sandbox-error.ts';
import { loadSandboxFile, SANDBOX_FILE } from './load-sandbox.ts';
import type { Sandbox } from './sandbox-schema.ts';

export const DEFAULT_SANDBOXES_DIR = fileURLToPath(new URL('../../sandboxes/', import.meta.url));

export class SandboxCatalog {
  readonly dir: string;
  private readonly cache = new Map<string, { mtimeMs: number; sandbox: Sandbox }>();

  constructor(dir: string = DEFAULT_SANDBOXES_DIR) {
    this.dir = dir;
  }

  /** Template names: every folder holding a sandbox.yaml. */
  names(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(this.dir, d.name, SANDBOX_FILE)))
      .map((d) => d.name)
      .sort();
  }

  get(name: string): Sandbox {
    const file = path.join(this.dir, name, SANDBOX_FILE);
    if (!/^[a-z][a-z0-9-]*$/.test(name) || !fs.existsSync(file)) {
      throw new SandboxError(file, `Unknown sandbox template "${name}". Available: ${this.names().join(', ') || '(none)'} (folders under ${this.dir} with a ${SANDBOX_FILE}).`);
    }
    const mtimeMs = fs.statSync(file).mtimeMs;
    const hit = this.cache.get(name);
    if (hit && hit.mtimeMs === mtimeMs) return hit.sandbox;
    const sandbox = loadSandboxFile(file);
    this.cache.set(name, { mtimeMs, sandbox });
    return sandbox;
  }

  all(): Sandbox[] {
    return this.names().map((n) => this.get(n));
  }
}
