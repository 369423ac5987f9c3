// What the editor exchanges with /api/files and /api/manifests: opened and saved files, versions, listings,
// kubectl runs and the cluster's schema. Defined beside the code that produces them (files/, lib/k8s-schema);
// this is the browser's door to them.
import type { KubernetesKind } from '../../lib/k8s-schema/index.ts';

export type { DirectoryEntry, DirectoryListing, OpenedFile, SavedFile } from '../files/lab-files.ts';
export type { FileVersion } from '../files/file-version.ts';
export type { KubectlRun } from '../files/manifest-commands.ts';
export type { ManifestIssue } from '../files/manifest-check.ts';
export type { KubernetesKind };

/** GET /api/manifests/schema: the lab cluster's JSON Schema for monaco-yaml. */
export interface ClusterSchemaView {
  kubernetesVersion: string;
  kinds: KubernetesKind[];
  schema: Record<string, unknown>;
  cacheKey: string;
}
