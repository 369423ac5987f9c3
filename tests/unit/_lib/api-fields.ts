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
export function isMap(keys: string[]): boolean {
  return keys.length === 1 && keys[0]!.endsWith('Key');
}

function shapeOf(v: ApiValue): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * A merge or strategic merge patch is a partial object of the type: the same fields, plus the strategic directives
 * (`$patch`, `$retainKeys`, `$setElementOrder/…`, `$deleteFromPrimitiveList/…`), which are not fields.
 */
export function mergePatchProblems(patch: ApiValue, upstream: ApiValue): string[] {
  return fieldProblems(withoutDirectives(patch), upstream);
}

function withoutDirectives(v: ApiValue): ApiValue {
  if (Array.isArray(v)) return v.map(withoutDirectives);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (k.startsWith('$') ? [] : [[k, withoutDirectives(x)]])));
}

/**
 * A JSON patch (RFC 6902) names fields by path: each operation's path (and `from`) must lead through fields the type
 * has, and the value of an add, replace or test must be of the field's shape. Whether the live object holds that
 * element (ports/0) only the cluster knows.
 */
export function jsonPatchProblems(ops: ApiValue, upstream: ApiValue): string[] {
  if (!Array.isArray(ops)) return ['a JSON patch is a list of operations'];
  return ops.flatMap((op: { op?: unknown; path?: unknown; from?: unknown; value?: unknown }, i) => {
    const at = `[${i}]`;
    if (typeof op?.op !== 'string' || !['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op))
      return [`${at}: no such operation ${JSON.stringify(op?.op)}`];
    const out: string[] = [];
    for (const key of ['path', ...(op.op === 'move' || op.op === 'copy' ? (['from'] as const) : [])] as const) {
      const pointer = op[key];
      if (typeof pointer !== 'string' || !pointer.startsWith('/')) {
        out.push(`${at}.${key}: ${JSON.stringify(pointer)} is not a JSON pointer`);
        continue;
      }
      const target = walkPointer(pointer, upstream);
      if ('problem' in target) out.push(`${at}.${key} ${pointer}: ${target.problem}`);
      else if (key === 'path' && 'value' in op && op.op !== 'remove')
        out.push(...fieldProblems(op.value, target.value, pointer).map((p) => `${at}.value: ${p}`));
    }
    return out;
  });
}

/** The upstream value a JSON pointer leads to, or where it leaves the type. */
function walkPointer(pointer: string, upstream: ApiValue): { value: ApiValue } | { problem: string } {
  let node = upstream;
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const [i, seg] of segments.entries()) {
    const here = `/${segments.slice(0, i).join('/')}`;
    if (Array.isArray(node)) {
      if (!/^(\d+|-)$/.test(seg)) return { problem: `${here} is a list: "${seg}" is not an index` };
      node = node[0];
    } else if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      if (isMap(keys)) node = (node as Record<string, ApiValue>)[keys[0]!];
      else if (seg in node) node = (node as Record<string, ApiValue>)[seg];
      else {
        const guess = closest(seg, keys);
        return { problem: `no field "${seg}" under ${here}${guess ? ` (did you mean "${guess}"?)` : ''}` };
      }
    } else return { problem: `${here} is ${shapeOf(node)}: nothing is under it` };
  }
  return { value: node };
}
