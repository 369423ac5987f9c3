// The one catalog of sandbox templates: every folder under a sandboxes directory holding a sandbox.yaml, loaded on
// demand and re-read when the file changes. The engine asks for validated templates (get, all); the site and
// content:check ask for a description of every folder, rejected ones included with the loader's message (describe).
// Both read through the same loader and cache, so they cannot disagree about a template.
// The directory is always given: the engine passes DEFAULT_SANDBOXES_DIR (sandboxes-dir.ts), the site and
// content:check pass SANDBOXES_DIR (content-paths.ts). Keeping that default out of this file keeps the site's
// bundle free of a file-relative directory URL.
import fs from 'node:fs';
import path from 'node:path';
import { describeRejectedSandbox, describeSandbox, KIND_CONFIG, type SandboxInfo } from './describe-sandbox.ts';
import { SandboxError } from './sandbox-error.ts';
import { loadSandboxFile, SANDBOX_FILE } from './load-sandbox.ts';
import type { Sandbox } from './sandbox-schema.ts';

export class SandboxCatalog {
  readonly dir: string;
  private readonly cache = new Map<string, { mtimeMs: number; sandbox: Sandbox }>();

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Template names: every folder holding a sandbox.yaml. */
  names(): string[] {
    if (!fs.existsSync(/*turbopackIgnore: true*/ this.dir)) return [];
    return fs
      .readdirSync(/*turbopackIgnore: true*/ this.dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(/*turbopackIgnore: true*/ path.join(/*turbopackIgnore: true*/ this.dir, d.name, SANDBOX_FILE)))
      .map((d) => d.name)
      .sort();
  }

  get(name: string): Sandbox {
    const file = path.join(/*turbopackIgnore: true*/ this.dir, name, SANDBOX_FILE);
    if (!/^[a-z][a-z0-9-]*$/.test(name) || !fs.existsSync(/*turbopackIgnore: true*/ file)) {
      throw new SandboxError(
        file,
        `Unknown sandbox template "${name}". Available: ${this.names().join(', ') || '(none)'} (folders under ${this.dir} with a ${SANDBOX_FILE}).`,
      );
    }
    return this.load(name, file);
  }

  all(): Sandbox[] {
    return this.names().map((n) => this.get(n));
  }

  /**
   * Every folder that is a sandbox, by folder name: a valid template with its targets, a template the loader rejects
   * (with its message), or a bare kind.yaml (targets unknown). Never throws; an unreadable directory is an empty catalog.
   */
  describe(): Map<string, SandboxInfo> {
    const catalog = new Map<string, SandboxInfo>();
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(/*turbopackIgnore: true*/ this.dir, { withFileTypes: true });
    } catch {
      return catalog;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      // Read from a configurable root at build time; not files the server bundle needs traced.
      const sandboxFile = path.join(/*turbopackIgnore: true*/ this.dir, entry.name, SANDBOX_FILE);
      const kindFile = path.join(/*turbopackIgnore: true*/ this.dir, entry.name, KIND_CONFIG);
      if (fs.existsSync(/*turbopackIgnore: true*/ sandboxFile)) {
        try {
          catalog.set(entry.name, describeSandbox(entry.name, sandboxFile, this.load(entry.name, sandboxFile)));
        } catch (err) {
          catalog.set(entry.name, describeRejectedSandbox(entry.name, sandboxFile, err));
        }
      } else if (fs.existsSync(/*turbopackIgnore: true*/ kindFile)) {
        catalog.set(entry.name, { name: entry.name, kind: 'kind', file: kindFile });
      }
    }
    return catalog;
  }

  /** Loads through the cache: a template is parsed again only when its sandbox.yaml's mtime changes. */
  private load(name: string, file: string): Sandbox {
    const mtimeMs = fs.statSync(/*turbopackIgnore: true*/ file).mtimeMs;
    const hit = this.cache.get(name);
    if (hit && hit.mtimeMs === mtimeMs) return hit.sandbox;
    const sandbox = loadSandboxFile(file);
    this.cache.set(name, { mtimeMs, sandbox });
    return sandbox;
  }
}
