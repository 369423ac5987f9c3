// Which fields a kubectl jsonpath template reads, and whether the API's type has them. On a live cluster
// `kubectl get -o jsonpath` prints nothing for a field that is not there (missing keys are allowed), so a check that
// reads `{.spec.clusterIp}` gets "" on every run: it fails every learner, or, written as `[ -z "$x" ]`, passes every
// one. Syntax is kubectl's business (kubectl-usage.test.ts); this reads only the paths of the subset the course
// writes: fields (`\.` escapes a dot in a key), [*], [N], [N:M], filters [?(@.a.b op "v")] (whose fields are read
// too), {range …}…{end}, and string literals. Anything else is reported as not understood, never passed.
import { closest } from '../../../course/content/content-issue.ts';
import { isMap } from './api-fields.ts';

type Step = { field: string } | { each: true };

export type TemplateReading = { ok: true; paths: Step[][] } | { ok: false; reason: string };

/** The field paths of a template, each from the object the template is evaluated on. */
export function templatePaths(template: string): TemplateReading {
  const paths: Step[][] = [];
  const bases: Step[][] = [[]];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = actionEnd(template, open);
    if (close < 0) return { ok: false, reason: `unclosed action at ${open}` };
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (action === 'end') {
      if (bases.length === 1) return { ok: false, reason: '{end} without {range}' };
      bases.pop();
      continue;
    }
    if (/^"([^"\\]|\\.)*"$/.test(action)) continue;
    const range = /^range\s+(.*)$/.exec(action);
    const expr = parseExpression(range ? range[1]! : action);
    if (!expr.ok) return expr;
    for (const p of expr.paths) paths.push([...bases.at(-1)!, ...p]);
    if (range) bases.push([...bases.at(-1)!, ...expr.paths[0]!]);
  }
  return { ok: true, paths };
}

/** The index of the `}` that closes the action opened at `open`, skipping braces inside string literals. */
function actionEnd(t: string, open: number): number {
  let inString = false;
  for (let j = open + 1; j < t.length; j++) {
    if (inString) {
      if (t[j] === '\\') j++;
      else if (t[j] === '"') inString = false;
    } else if (t[j] === '"') inString = true;
    else if (t[j] === '}') return j;
  }
  return -1;
}

/** `.a.b[*].c[?(@.d=="x")].e` -> the main path, and one path per field a filter reads. */
function parseExpression(expr: string): { ok: true; paths: Step[][] } | { ok: false; reason: string } {
  const main: Step[] = [];
  const extra: Step[][] = [];
  let i = 0;
  if (!expr.startsWith('.')) return { ok: false, reason: `"${expr}" does not start with a field` };
  while (i < expr.length) {
    if (expr.startsWith('..', i)) return { ok: false, reason: `recursive descent in "${expr}"` };
    if (expr[i] === '.') {
      let name = '';
      i++;
      while (i < expr.length && expr[i] !== '.' && expr[i] !== '[') {
        if (expr[i] === '\\' && i + 1 < expr.length) i++;
        name += expr[i++];
      }
      if (!name) return { ok: false, reason: `empty field in "${expr}"` };
      main.push({ field: name });
    } else if (expr[i] === '[') {
      const close = expr.indexOf(']', i);
      if (close < 0) return { ok: false, reason: `unclosed [ in "${expr}"` };
      const inner = expr.slice(i + 1, close);
      i = close + 1;
      if (/^(\*|-?\d+|-?\d*:-?\d*)$/.test(inner)) main.push({ each: true });
      else if (/^\?\(.*\)$/.test(inner)) {
        main.push({ each: true });
        for (const m of inner.matchAll(/@((?:\.[\w-]+)+)/g))
          extra.push([
            ...main,
            ...m[1]!
              .slice(1)
              .split('.')
              .map((field) => ({ field })),
          ]);
      } else return { ok: false, reason: `subscript [${inner}] in "${expr}"` };
    } else return { ok: false, reason: `unexpected "${expr[i]}" in "${expr}"` };
  }
  return { ok: true, paths: [main, ...extra] };
}

/** Where a path leaves the type, or undefined when every field on it exists (maps take any key). */
export function pathProblem(path: Step[], upstream: unknown): string | undefined {
  let node = upstream;
  let shown = '';
  for (const step of path) {
    if ('each' in step) {
      if (!Array.isArray(node)) return `${shown || '.'} is not a list`;
      // An empty example list says nothing of its elements.
      if (node.length === 0) return undefined;
      node = node[0];
      shown += '[*]';
      continue;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return `${shown || '.'} has no fields (reading .${step.field})`;
    const keys = Object.keys(node);
    const map = isMap(keys);
    if (!map && !(step.field in node)) {
      const guess = closest(step.field, keys);
      return `no field "${step.field}" under ${shown || '.'}${guess ? ` (did you mean "${guess}"?)` : ''}`;
    }
    node = (node as Record<string, unknown>)[map ? keys[0]! : step.field];
    shown += `.${step.field}`;
  }
  return undefined;
}
