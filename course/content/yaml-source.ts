// YAML read with positions kept, so a schema error at tasks[2].target can be reported at its line.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ContentIssue } from './content-issue.ts';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Lines before the YAML text in its file (the "---" line of MDX frontmatter). */
  lineOffset: number;
  /** The plain value, or undefined when the YAML does not parse. */
  value: unknown;
  /** Syntax errors, already located. */
  syntaxIssues: ContentIssue[];
}

export function parseYamlSource(file: string, text: string, lineOffset = 0, fieldPrefix = ''): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxIssues: ContentIssue[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      file,
      line: pos.line + lineOffset,
      column: pos.col,
      field: fieldPrefix || undefined,
      message: `YAML syntax error: ${e.message.split('\n')[0]}`,
      valid: 'YAML "key: value" lines; quote strings that contain ": " or start with a special character',
    };
  });
  return { file, doc, lineCounter, lineOffset, value: syntaxIssues.length ? undefined : doc.toJS(), syntaxIssues };
}

/** Line and column of the deepest node along `path` (a missing key points at its parent). */
export function locate(src: YamlSource, path: readonly PropertyKey[]): { line: number; column: number } {
  let node: Node | null | undefined = src.doc.contents;
  let offset = node?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (isScalar(pair.key) && pair.key.range?.[0]) || offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const pos = src.lineCounter.linePos(offset);
  return { line: pos.line + src.lineOffset, column: pos.col };
}

/** Whether `path` exists in the YAML document (a key with a null value exists). */
export function hasPath(src: YamlSource, path: readonly PropertyKey[]): boolean {
  return src.doc.hasIn(path as unknown[]);
}
