// Kubernetes manifest schemas for the editor: a cluster's OpenAPI v3 documents -> JSON Schema for monaco-yaml.
export { openApiToJsonSchema, convertSchemaNode, danglingRefs, shortTypeName } from './openapi-to-json-schema.ts';
export type { JsonSchema, KubernetesJsonSchema, KubernetesKind } from './openapi-to-json-schema.ts';
export { loadClusterSchema, forgetLoadedSchemas, ClusterSchemaError } from './cluster-schema.ts';
export type { KubectlResult, LoadClusterSchemaOptions, LoadedClusterSchema, RunKubectl } from './cluster-schema.ts';
export { isGroupVersionPath, apiVersionOfPath, openApiDocumentSchema, openApiIndexSchema, kubectlVersionSchema } from './openapi-document.ts';
export type { OpenApiDocument, OpenApiIndex } from './openapi-document.ts';
