// The two documents a Kubernetes API server serves under /openapi/v3, validated at the boundary.
// Only the parts the schema conversion reads are checked; everything else passes through untouched.
import { z } from 'zod';

/** `GET /openapi/v3`: one entry per group-version, each with a URL that carries a content hash. */
export const openApiIndexSchema = z.object({
  paths: z.record(
    z.string(),
    z.object({
      serverRelativeURL: z.string().startsWith('/openapi/v3/', { message: 'serverRelativeURL must start with /openapi/v3/' }),
    }),
  ),
});
export type OpenApiIndex = z.infer<typeof openApiIndexSchema>;

/** One schema node as the API server writes it (OpenAPI 3.0 Schema Object plus x-kubernetes-* extensions). */
export type OpenApiSchemaNode = Record<string, unknown>;

/** `GET /openapi/v3/api/v1?hash=…` and friends: one group-version's paths and component schemas. */
export const openApiDocumentSchema = z.object({
  openapi: z
    .string({ message: 'openapi must be the OpenAPI version string, e.g. "3.0.0"' })
    .startsWith('3.', { message: 'openapi must be a 3.x document (use /openapi/v3, not /openapi/v2)' }),
  components: z
    .object({
      schemas: z.record(z.string(), z.record(z.string(), z.unknown()), { message: 'components.schemas must map type names to schema objects' }).default({}),
    })
    .default({ schemas: {} }),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;

/** `kubectl version -o json`: only the server's version matters (the cluster, not the client, defines the schema). */
export const kubectlVersionSchema = z.object({
  serverVersion: z.object({
    gitVersion: z.string().regex(/^v\d+\.\d+\.\d+/, { message: 'serverVersion.gitVersion must look like v1.37.0' }),
  }),
});

/** Group-version documents are the ones that define kinds: "api/v1" and "apis/<group>/<version>". */
export function isGroupVersionPath(indexPath: string): boolean {
  return indexPath === 'api/v1' || /^apis\/[^/]+\/[^/]+$/.test(indexPath);
}

/** "api/v1" -> "v1", "apis/networking.k8s.io/v1" -> "networking.k8s.io/v1". */
export function apiVersionOfPath(indexPath: string): string {
  return indexPath === 'api/v1' ? 'v1' : indexPath.replace(/^apis\//, '');
}
