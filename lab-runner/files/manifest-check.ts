// What must hold before a manifest goes to the cluster: it parses as YAML, and every document is an object with
// apiVersion, kind and metadata.name. Schema validation is the editor's (and the API server's) job; this catches
// what would otherwise come back from kubectl as a less readable error.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { ManifestIssue } from '../wire/files.ts';

export interface CheckedManifest {
  issues: ManifestIssue[];
  /** "Pod/web", "NetworkPolicy/deny-all", per document. */
  objects: string[];
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

export function checkManifest(text: string): CheckedManifest {
  const issues: ManifestIssue[] = [];
  const objects: string[] = [];
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) {
    return { issues: [{ document: 1, line: 1, column: 1, message: 'the manifest is larger than 1 MiB' }], objects };
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  let number = 0;
  for (const doc of list) {
    number += 1;
    const at = (offset: number | undefined) => {
      const pos = lines.linePos(offset ?? 0);
      return { line: pos.line, column: pos.col };
    };
    for (const err of doc.errors)
      issues.push({ document: number, ...at(err.pos[0]), message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') });
    if (doc.errors.length) continue;
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue; // an empty document (a trailing ---) is fine
    // Point at the document's first key, not at its "---" line.
    const start = at(doc.contents?.range?.[0] ?? doc.range[0]);
    if (typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ document: number, ...start, message: 'a manifest document must be a mapping with apiVersion, kind and metadata' });
      continue;
    }
    const obj = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; generateName?: unknown } };
    const missing = [
      typeof obj.apiVersion === 'string' && obj.apiVersion ? undefined : 'apiVersion',
      typeof obj.kind === 'string' && obj.kind ? undefined : 'kind',
      typeof obj.metadata?.name === 'string' && obj.metadata.name ? undefined : 'metadata.name',
    ].filter((m): m is string => m !== undefined);
    if (missing.length) {
      issues.push({
        document: number,
        ...start,
        message: `this document has no ${missing.join(', ')} (every object needs apiVersion, kind and metadata.name)`,
      });
      continue;
    }
    objects.push(`${obj.kind as string}/${obj.metadata!.name as string}`);
  }
  if (!issues.length && !objects.length) issues.push({ document: 1, line: 1, column: 1, message: 'the manifest is empty' });
  return { issues, objects };
}

export function formatIssues(issues: ManifestIssue[], many: boolean): string {
  return issues.map((i) => `line ${i.line}, column ${i.column}${many ? ` (document ${i.document})` : ''}: ${i.message}`).join('\n');
}
