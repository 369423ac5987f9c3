// OpenAPI v3 documents from a Kubernetes API server -> one JSON Schema (draft-07) that monaco-yaml's
// yaml-language-server validates and completes manifests with.
//
// Shape of the result, chosen so that a document is checked against exactly the kind it names:
//   { properties: {apiVersion: {enum: [every apiVersion]}, kind: {enum: [every kind]}},
//     allOf: [ {if: {kind: "NetworkPolicy"}, then: {apiVersion: {enum: ["networking.k8s.io/v1"]}}}, …,
//              {if: {apiVersion: "v1", kind: "Pod"}, then: {$ref: "#/definitions/manifest:core:v1:Pod"}}, … ],
//     definitions: { "manifest:core:v1:Pod": {allOf: [{$ref: Pod}], …}, "io.k8s.api.core.v1.Pod": …, … } }
// The per-kind wrapper carries the kind's title and description, so shared types that are also embedded elsewhere
// (a PersistentVolumeClaim inside a StatefulSet's volumeClaimTemplates) are not forced to repeat apiVersion/kind.
import type { OpenApiDocument, OpenApiSchemaNode } from './openapi-document.ts';

export type JsonSchema = Record<string, unknown>;

export interface KubernetesKind {
  /** "v1", "networking.k8s.io/v1". */
  apiVersion: string;
  kind: string;
  group: string;
  version: string;
  /** The OpenAPI type name, e.g. "io.k8s.api.core.v1.Pod". */
  typeName: string;
  description?: string;
}

export interface KubernetesJsonSchema {
  /** The API server's gitVersion, e.g. "v1.37.0". */
  kubernetesVersion: string;
  /** Every kind a manifest may name, sorted by apiVersion then kind. */
  kinds: KubernetesKind[];
  schema: JsonSchema;
}

const COMPONENT_REF = '#/components/schemas/';
const DEFINITION_REF = '#/definitions/';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** JSON Schema keywords yaml-language-server understands; everything else (x-kubernetes-*, format, nullable…) is dropped or translated. */
const KEPT_KEYWORDS = new Set([
  'type',
  'title',
  'description',
  'enum',
  'required',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go zero values the API server writes as "defaults" ({} for structs, "" for strings, 0 for ints): not worth completing. */
function isZeroDefault(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isRecord(v) && Object.keys(v).length === 0;
}

/** "io.k8s.api.core.v1.PodSpec" -> "PodSpec". */
export function shortTypeName(typeName: string): string {
  return typeName.slice(typeName.lastIndexOf('.') + 1);
}

function convertRef(ref: string): string {
  return ref.startsWith(COMPONENT_REF) ? DEFINITION_REF + ref.slice(COMPONENT_REF.length) : ref;
}

/** One OpenAPI schema node -> JSON Schema, recursively. */
export function convertSchemaNode(node: unknown): JsonSchema {
  if (!isRecord(node)) return {};
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (KEPT_KEYWORDS.has(key)) out[key] = value;
  }
  if (typeof node.$ref === 'string') out.$ref = convertRef(node.$ref);
  if (isRecord(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([name, child]) => [name, convertSchemaNode(child)]));
  }
  if (isRecord(node.items)) out.items = convertSchemaNode(node.items);
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (isRecord(node.additionalProperties)) out.additionalProperties = convertSchemaNode(node.additionalProperties);
  for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = node[combinator];
    if (Array.isArray(list)) out[combinator] = list.map((child) => convertSchemaNode(child));
  }
  if (isRecord(node.not)) out.not = convertSchemaNode(node.not);
  if ('default' in node && !isZeroDefault(node.default)) out.default = node.default;

  // IntOrString: built-in types say format "int-or-string", CRDs say x-kubernetes-int-or-string. Both accept 80 and "http".
  if (node.format === 'int-or-string' || node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    delete out.oneOf;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // OpenAPI 3.0's nullable has no JSON Schema keyword: it is a second type.
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];

  // The API server rejects unknown fields (kubectl's --validate=strict is the default), so the editor flags them too,
  // except where the type says it keeps arbitrary fields.
  const keepsUnknownFields = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (keepsUnknownFields) delete out.additionalProperties;
  else if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

function readGvks(node: OpenApiSchemaNode): GroupVersionKind[] {
  const raw = node['x-kubernetes-group-version-kind'];
  if (!Array.isArray(raw)) return [];
  return raw.filter((g): g is GroupVersionKind => isRecord(g) && typeof g.group === 'string' && typeof g.version === 'string' && typeof g.kind === 'string');
}

function refTarget(node: unknown): string | undefined {
  if (!isRecord(node)) return undefined;
  if (typeof node.$ref === 'string') return node.$ref;
  if (Array.isArray(node.allOf) && node.allOf.length === 1) return refTarget(node.allOf[0]);
  return undefined;
}

/**
 * A type is a manifest kind when exactly one group-version-kind names it and it carries object metadata.
 * That keeps Pod, Service, NetworkPolicy and CRD kinds, and drops lists (ListMeta), Status, WatchEvent and
 * DeleteOptions (which every group-version names).
 */
function manifestKind(node: OpenApiSchemaNode): GroupVersionKind | undefined {
  const gvks = readGvks(node);
  if (gvks.length !== 1) return undefined;
  const properties = isRecord(node.properties) ? node.properties : undefined;
  if (!properties || !('metadata' in properties)) return undefined;
  const metadataRef = refTarget(properties.metadata);
  if (metadataRef !== undefined && !metadataRef.endsWith(OBJECT_META)) return undefined;
  return gvks[0];
}

/** A JSON-pointer-safe name (no "/"), distinct from every OpenAPI type name. */
function kindDefinitionName(k: Pick<KubernetesKind, 'group' | 'version' | 'kind'>): string {
  return `manifest:${k.group || 'core'}:${k.version}:${k.kind}`;
}

const API_VERSION_HELP = 'The API group and version of this object, e.g. v1 or networking.k8s.io/v1. `kubectl api-resources` lists them.';
const KIND_HELP = 'The type of object, e.g. Pod, Service or NetworkPolicy. `kubectl api-resources` lists every kind this cluster serves.';

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * A condition "these fields are present with these values". `required` sits in its own allOf branch, away from
 * `properties`: yaml-language-server offers a "fill in the required fields" completion for every schema that has both,
 * and these conditions are not something to complete.
 */
function present(values: Record<string, string>): JsonSchema {
  return {
    allOf: [{ properties: Object.fromEntries(Object.entries(values).map(([field, value]) => [field, { const: value }])) }, { required: Object.keys(values) }],
  };
}

/**
 * "kind: NetworkPolicy" allows only the apiVersions that serve NetworkPolicy, so "apiVersion: v1" is flagged on the
 * apiVersion line with the right value to use.
 */
function kindApiVersionRules(kinds: KubernetesKind[]): JsonSchema[] {
  const byKind = new Map<string, string[]>();
  for (const k of kinds) byKind.set(k.kind, [...(byKind.get(k.kind) ?? []), k.apiVersion]);
  return [...byKind.entries()].map(([kind, apiVersions]) => ({
    if: present({ kind }),
    then: { properties: { apiVersion: { enum: apiVersions } } },
  }));
}

/**
 * Once apiVersion and kind name a kind, the document is checked against that kind alone. if/then instead of a oneOf
 * over every kind: a oneOf makes the validator guess the "best" alternative, and its messages then describe the wrong kind.
 */
function kindRule(k: KubernetesKind): JsonSchema {
  return {
    if: present({ apiVersion: k.apiVersion, kind: k.kind }),
    then: { $ref: DEFINITION_REF + kindDefinitionName(k) },
  };
}

/** Converts the group-version documents of one cluster. Later documents never overwrite a type an earlier one defined. */
export function openApiToJsonSchema(documents: OpenApiDocument[], kubernetesVersion: string): KubernetesJsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const kinds = new Map<string, KubernetesKind>();
  for (const doc of documents) {
    for (const [typeName, node] of Object.entries(doc.components.schemas)) {
      // The short name ("PodSpec") labels completion items and diagnostics instead of the Go package path.
      if (!(typeName in definitions)) definitions[typeName] = { title: shortTypeName(typeName), ...convertSchemaNode(node) };
      const gvk = manifestKind(node);
      if (!gvk) continue;
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      const key = `${apiVersion}:${gvk.kind}`;
      if (kinds.has(key)) continue;
      kinds.set(key, {
        apiVersion,
        kind: gvk.kind,
        group: gvk.group,
        version: gvk.version,
        typeName,
        ...(typeof node.description === 'string' ? { description: node.description } : {}),
      });
    }
  }

  const sortedKinds = [...kinds.values()].sort((a, b) => a.apiVersion.localeCompare(b.apiVersion) || a.kind.localeCompare(b.kind));
  for (const k of sortedKinds) {
    definitions[kindDefinitionName(k)] = {
      title: `${k.kind} (${k.apiVersion})`,
      ...(k.description ? { description: k.description } : {}),
      allOf: [{ $ref: DEFINITION_REF + k.typeName }],
    };
  }

  const schema: JsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Kubernetes ${kubernetesVersion} manifest`,
    description: `Any object the cluster's API server (Kubernetes ${kubernetesVersion}) accepts, from its own OpenAPI v3 document.`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', enum: unique(sortedKinds.map((k) => k.apiVersion)), description: API_VERSION_HELP },
      kind: { type: 'string', enum: unique(sortedKinds.map((k) => k.kind)).sort(), description: KIND_HELP },
    },
    required: ['apiVersion', 'kind'],
    allOf: [...kindApiVersionRules(sortedKinds), ...sortedKinds.map(kindRule)],
    definitions,
  };
  return { kubernetesVersion, kinds: sortedKinds, schema };
}

/** Every $ref in a schema that names no definition: a conversion bug if non-empty. */
export function danglingRefs(schema: JsonSchema): string[] {
  const definitions = isRecord(schema.definitions) ? schema.definitions : {};
  const missing = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isRecord(node)) return;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.startsWith(DEFINITION_REF) ? node.$ref.slice(DEFINITION_REF.length) : undefined;
      if (name === undefined || !(name in definitions)) missing.add(node.$ref);
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(schema);
  return [...missing].sort();
}
