// Where the editor may save, in one place. This is a guard rail for lessons, not a security boundary: the learner
// has a root shell on the same target. It keeps a mis-click in the editor from rewriting /etc/passwd, and tells the
// learner what the lesson expects them to edit.
//
// Allowed: the learner's homes and scratch space, CNI configuration, and the exact files a lesson's <Edit> actions
// name (e.g. /etc/resolv.conf). A lesson frontmatter `editable:` list can extend this later through `extraFiles`.
import path from 'node:path';
import { InvalidPathError, PathNotAllowedError } from './file-errors.ts';

/** Directory trees (ending in "/") and exact files. */
export interface EditPolicy {
  allow: string[];
}

export const BASE_EDITABLE_TREES = ['/root/', '/home/learner/', '/tmp/', '/etc/cni/net.d/'] as const;

const MAX_PATH_LENGTH = 4096;

/** The policy for a lesson: the base trees plus the files its <Edit> actions open. */
export function editPolicy(extraFiles: string[] = []): EditPolicy {
  const files = extraFiles.map((f) => normalizeLabPath(f)).filter((f) => !isUnderTrees(f, BASE_EDITABLE_TREES));
  return { allow: [...BASE_EDITABLE_TREES, ...[...new Set(files)].sort()] };
}

/** An absolute, normalised POSIX path, or InvalidPathError. "/root/../etc/x" becomes "/etc/x" before any policy check. */
export function normalizeLabPath(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new InvalidPathError(String(input), 'it is empty');
  if (input.length > MAX_PATH_LENGTH) throw new InvalidPathError(input.slice(0, 80) + '…', `it is longer than ${MAX_PATH_LENGTH} characters`);
  if (input.includes('\0')) throw new InvalidPathError(input.replaceAll('\0', '\\0'), 'it contains a NUL byte');
  if (!input.startsWith('/')) throw new InvalidPathError(input, 'it is relative');
  const normal = path.posix.normalize(input);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

function isUnderTrees(file: string, trees: readonly string[]): boolean {
  return trees.some((t) => file.startsWith(t));
}

export function isSavable(file: string, policy: EditPolicy): boolean {
  return policy.allow.some((a) => (a.endsWith('/') ? file.startsWith(a) : file === a));
}

/** Throws PathNotAllowedError (with the allowed list) unless the normalised path may be saved. */
export function assertSavable(file: string, policy: EditPolicy, resolvedFrom?: string): void {
  if (!isSavable(file, policy)) throw new PathNotAllowedError(file, policy.allow, resolvedFrom);
}
