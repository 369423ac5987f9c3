// One problem found in the course content, and how a list of them is shown to an author.
import path from 'node:path';
import { editDistance } from '../../lib/edit-distance.ts';

export interface ContentIssue {
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based line, when the problem can be pinned to one. */
  line?: number;
  column?: number;
  /** The field or element concerned, e.g. "frontmatter.minutes", "tasks[0].target", "<Run target>". */
  field?: string;
  /** What is wrong. */
  message: string;
  /** What would be valid (the fix). */
  valid?: string;
}

export class ContentCheckError extends Error {
  override name = 'ContentCheckError';
  readonly issues: ContentIssue[];
  constructor(issues: ContentIssue[], baseDir: string) {
    super(`Content check failed with ${issues.length} error${issues.length === 1 ? '' : 's'}:\n${formatIssues(issues, baseDir)}`);
    this.issues = issues;
  }
}

/** Grouped by file, in file order then line order: "  12:3  frontmatter.minutes  must be a whole number — valid: …". */
export function formatIssues(issues: ContentIssue[], baseDir: string): string {
  const byFile = new Map<string, ContentIssue[]>();
  for (const issue of issues) {
    const rel = path.relative(baseDir, issue.file) || issue.file;
    byFile.set(rel, [...(byFile.get(rel) ?? []), issue]);
  }
  const out: string[] = [];
  for (const file of [...byFile.keys()].sort()) {
    out.push(file);
    const sorted = byFile.get(file)!.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    for (const i of sorted) {
      const where = i.line ? `${i.line}:${i.column ?? 1}` : '-';
      const field = i.field ? `  ${i.field}` : '';
      const valid = i.valid ? ` — valid: ${i.valid}` : '';
      out.push(`  ${where.padEnd(7)}${field}  ${i.message}${valid}`);
    }
  }
  return out.join('\n');
}

/** Closest candidate by edit distance, for "did you mean …?" hints; undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
