// What the editor exchanges with /api/files and /api/manifests: opened and saved files, versions, listings,
// YAML issues, kubectl runs and the cluster's schema. lab-runner/files/ produces them.
import type { KubernetesKind } from '../../lib/k8s-schema/index.ts';

export type { KubernetesKind };

// What identifies one state of a file in the lab. The sha256 of the bytes decides conflicts (a `touch` that changes
// nothing is not a conflict); size and mtime are shown to the learner.
export interface FileVersion {
  /** Hex sha256 of the file's bytes. */
  sha256: string;
  size: number;
  /** Modification time, milliseconds since the epoch. */
  mtimeMs: number;
}

export interface OpenedFile {
  target: string;
  /** The path as asked for (normalised). */
  path: string;
  /** Where it really is, symlinks followed. */
  realPath: string;
  content: string;
  version: FileVersion;
  /** Octal permission bits, e.g. "644". */
  mode: string;
  lineEnding: 'lf' | 'crlf';
  /** Whether the lesson lets the editor save it; when false the editor opens it read-only and says why. */
  savable: boolean;
}

export interface SavedFile {
  target: string;
  path: string;
  realPath: string;
  version: FileVersion;
}

export interface DirectoryEntry {
  name: string;
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  mtimeMs: number;
}

export interface DirectoryListing {
  target: string;
  dir: string;
  entries: DirectoryEntry[];
  /** More entries exist than were listed. */
  truncated: boolean;
}

export interface ManifestIssue {
  /** 1-based document number within the file. */
  document: number;
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

export interface KubectlRun {
  /** The command as a learner would type it. */
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Apply: every object was accepted. Diff: the comparison ran (whether or not there were differences). */
  ok: boolean;
  /** Diff only: the cluster differs from the manifest. */
  differs?: boolean;
  /** Objects named by the manifest, "Kind/name". */
  objects: string[];
}

/** GET /api/manifests/schema: the lab cluster's JSON Schema for monaco-yaml. */
export interface ClusterSchemaView {
  kubernetesVersion: string;
  kinds: KubernetesKind[];
  schema: Record<string, unknown>;
  cacheKey: string;
}
