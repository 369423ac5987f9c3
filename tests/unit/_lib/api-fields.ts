// Which fields of a manifest the API does not have, judged against k8s.io/api's object of the same type with every
// field set (tests/unit/_lib/k8s-api-testdata.ts). kubectl asks the API server for strict field validation by
// default (`--validate=strict`), so an unknown field fails `kubectl apply` on a real cluster: a lesson's setup dies,
// or a near miss is "rejected" only because it never applied. Maps (labels, data, nodeSelector, resources.limits)
// are the upstream objects' one-entry "<field>Key" objects, and take any key.
import { closest } from '../../../course/content/content-issue.ts';

export type ApiValue = unknown;

/** One line per problem, each starting with the field's path ("spec.template.spec.containers[0].imagePullPolicyy"). */
export function fieldProblems(doc: ApiValue, upstream: ApiValue, at = ''): string[] {
  if (doc === null || doc === undefined) return [];
  if (Array.isArray(doc)) {
    if (!Array.isArray(upstream)) return [`${at}: a list, where the API has ${shapeOf(upstream)}`];
    // The upstream list holds one example element; every element of ours is held to it.
    return upstream.length === 0 ? [] : doc.flatMap((d, i) => fieldProblems(d, upstream[0], `${at}[${i}]`));
  }
  if (typeof doc === 'object') {
    if (upstream === null || typeof upstream !== 'object' || Array.isArray(upstream)) return [`${at}: an object, where the API has ${shapeOf(upstream)}`];
    const known = upstream as Record<string, ApiValue>;
    const keys = Object.keys(known);
    // A type with no fields of its own (or an empty example) says nothing about what may be under it.
    if (keys.length === 0) return [];
    if (isMap(keys)) return Object.entries(doc).flatMap(([k, v]) => fieldProblems(v, known[keys[0]!], `${at}[${JSON.stringify(k)}]`));
    return Object.entries(doc).flatMap(([k, v]) => {
      const path = at ? `${at}.${k}` : k;
      if (k in known) return fieldProblems(v, known[k], path);
      const guess = closest(k, keys);
      return [`${path}: unknown field (${guess ? `did you mean "${guess}"?` : `the API has ${keys.join(', ')}`})`];
    });
  }
  // Scalars: numbers and strings stand in for each other in int-or-string fields (targetPort) and quantities
  // (cpu: 1), so only a boolean is held to its type; an object or list written as a scalar is wrong either way.
  if (upstream !== null && typeof upstream === 'object') return [`${at}: ${JSON.stringify(doc)}, where the API has ${shapeOf(upstream)}`];
  if (typeof upstream === 'boolean' && typeof doc !== 'boolean') return [`${at}: ${JSON.stringify(doc)}, where the API has a boolean`];
  return [];
}

/** k8s.io/api's fuzzer fills a map with one entry named after the field: {"labelsKey": "labelsValue"}. */
function isMap(keys: string[]): boolean {
  return keys.length === 1 && keys[0]!.endsWith('Key');
}

function shapeOf(v: ApiValue): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
