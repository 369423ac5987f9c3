// Turns zod issues on a YAML document into ContentIssues: file, line, field path, message and what is valid.
import type { z } from 'zod';
import { closest } from './content-issue.ts';
import type { ContentIssue } from './content-issue.ts';
import { hasPath, locate } from './yaml-source.ts';
import type { YamlSource } from './yaml-source.ts';

export interface SchemaIssueOptions {
  /** Prepended to the field path, e.g. "frontmatter". */
  prefix?: string;
  /** What a valid value looks like at this path (first match wins). */
  help?: (path: readonly PropertyKey[]) => string | undefined;
}

export function schemaIssues(src: YamlSource, schema: z.ZodType, error: z.ZodError, options: SchemaIssueOptions = {}): ContentIssue[] {
  const out: ContentIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const guess = closest(key, known);
        out.push({
          file: src.file,
          ...locate(src, path),
          field: fieldName(options.prefix, path),
          message: `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
          valid: known.length ? `one of ${known.join(', ')}` : undefined,
        });
      }
      continue;
    }
    const missing = !hasPath(src, issue.path);
    const message = missing && issue.code === 'invalid_type' ? 'is required but missing' : describe(issue);
    out.push({
      file: src.file,
      ...locate(src, issue.path),
      field: fieldName(options.prefix, issue.path),
      message,
      valid: options.help?.(issue.path),
    });
  }
  return out;
}

export function fieldName(prefix: string | undefined, path: readonly PropertyKey[]): string {
  let s = prefix ?? '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : `${s ? '.' : ''}${String(seg)}`;
  return s || '(document)';
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${article(issue.expected)}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

function article(type: string): string {
  const words: Record<string, string> = {
    array: 'a list',
    object: 'a mapping of keys to values',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
  };
  return words[type] ?? type;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The field names a strict object accepts at `path`, found by walking the schema. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType | undefined = schema;
  const unwrap = () => {
    for (let def = node && defOf(node); def; def = node && defOf(node)) {
      if (def.innerType) node = def.innerType;
      else if (def.type === 'pipe' && def.in) node = def.in;
      else break;
    }
  };
  unwrap();
  for (const seg of path) {
    const def: Def | undefined = node && defOf(node);
    if (def?.type === 'object' && def.shape) node = def.shape[String(seg)];
    else if (def?.type === 'array' && def.element) node = def.element;
    else return [];
    unwrap();
  }
  const def = node && defOf(node);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
