// Files a kind template ships to the learner's jumpbox: everything under sandboxes/<name>/files/ lands under
// /opt/packetwalk/ with the same relative path (files/manifests/x.yaml → /opt/packetwalk/manifests/x.yaml), owned
// by root and world-readable, so lessons can `kubectl apply -f` vendored manifests (Gateway API CRDs…) offline.
// Why a directory, not a list in sandbox.yaml: dropping a vendored file in place is the whole workflow, and the
// template loader lists (and checks) what is there.
// The listing is the model's (the template loader checks it); copying is the engine's (lab-runner/kind/copy-sandbox-files.ts).
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const SANDBOX_FILES_DIR = 'files';
export const JUMPBOX_FILES_ROOT = '/opt/packetwalk';
/** Per file and per template: files travel through exec stdin, held in memory once while copied. */
export const MAX_SANDBOX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_SANDBOX_FILES_BYTES = 64 * 1024 * 1024;

export interface SandboxFile {
  /** POSIX path relative to files/, e.g. "manifests/gateway-api-v1.4.0-standard-install.yaml". */
  relativePath: string;
  bytes: number;
}

// Plain names only: the path goes into a shell command on the jumpbox (through env, but no surprises either way).
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;

/** Where a template file lands on the jumpbox. */
export function jumpboxPathOf(relativePath: string): string {
  return path.posix.join(JUMPBOX_FILES_ROOT, relativePath);
}

/**
 * Lists sandboxDir/files/ recursively (sorted; empty when there is no files/ directory). Throws, naming the file
 * and the fix, on symlinks, special files, names that are not plain, and files over the size limits.
 * Synchronous like the rest of template loading (once per template, at catalog load).
 */
export function listSandboxFiles(sandboxDir: string): SandboxFile[] {
  const root = path.join(sandboxDir, SANDBOX_FILES_DIR);
  const rootStat = lstatSync(root, { throwIfNoEntry: false });
  if (!rootStat) return [];
  if (!rootStat.isDirectory()) throw new Error(`${root} must be a directory of files to copy to the jumpbox`);
  const files: SandboxFile[] = [];
  const walk = (rel: string): void => {
    const entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const shown = path.join(root, relPath);
      if (!SEGMENT.test(entry.name))
        throw new Error(`${shown}: file names under ${SANDBOX_FILES_DIR}/ may only use letters, digits and . _ + - (and not start with a dot); rename it`);
      if (entry.isSymbolicLink()) throw new Error(`${shown} is a symlink; put the file itself there (symlinks could point outside the template)`);
      if (entry.isDirectory()) {
        walk(relPath);
        continue;
      }
      if (!entry.isFile()) throw new Error(`${shown} is not a regular file; only regular files are copied to the jumpbox`);
      const { size } = lstatSync(shown);
      if (size > MAX_SANDBOX_FILE_BYTES)
        throw new Error(`${shown} is ${size} bytes; files for the jumpbox are limited to ${MAX_SANDBOX_FILE_BYTES} bytes each`);
      files.push({ relativePath: relPath, bytes: size });
    }
  };
  walk('');
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  if (total > MAX_SANDBOX_FILES_BYTES)
    throw new Error(`${root} holds ${total} bytes; a template may ship at most ${MAX_SANDBOX_FILES_BYTES} bytes to the jumpbox`);
  return files;
}
