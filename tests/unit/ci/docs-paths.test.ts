// Docs must not rot silently: every repository path a page names in backticks (`lab-runner/lab/reaper.ts`) and every
// relative Markdown link ([kind](kind.md)) must resolve to something in the working tree. A shorter name
// (`reaper.ts`, `steps/step-context.ts`, `cli/commands/`) must be the tail of some file or folder in the repository,
// so a renamed or deleted file shows up even where a page names it relative to its folder. Paths with placeholders
// or globs (`sandboxes/<name>/`, `progress-store*.ts`, `{lab,terminal}`) describe families of files and are skipped.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '../../..');

/** Top-level entries of the repository; a backticked token counts as a path only when it starts with one of them. */
const topLevel = (dir: string): Set<string> => new Set(fs.readdirSync(dir).filter((name) => name !== 'node_modules' && name !== '.git'));

const PLACEHOLDER = /[<>*{}…$\s]|\.\.\./;
/** A file name with one of the repository's extensions (`reaper.ts`, `sandbox.yaml`), alone or at the end of a path. */
const FILE_NAME = /(^|\/)[\w.[\]-]+\.(ts|tsx|mjs|js|sh|json|ya?ml|mdx?|apparmor|css|txt)$/;

interface PathRef {
  /** As written in the page. */
  text: string;
  /** Relative to the repository root. */
  resolved: string;
  line: number;
  /** code: a path from the repository root; tail: a file or folder name, or the end of a path; link: a Markdown link. */
  kind: 'code' | 'tail' | 'link';
}

/** Backticked repository paths and relative link targets in one Markdown page (`file` relative to `repoRoot`). */
function pathRefs(markdown: string, file: string, roots: ReadonlySet<string>): PathRef[] {
  const refs: PathRef[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    for (const m of line.matchAll(/`([^`\n]+)`/g)) {
      // `lab-runner/kind/` or `lab-runner/files/` (a folder) as well as files; `path:42` names a line of a file.
      const text = m[1]!.replace(/:\d+$/, '');
      if (PLACEHOLDER.test(text) || text.startsWith('/') || text.includes('://')) continue;
      const first = text.split('/')[0]!;
      // `DATA_DIR/artefacts/` is a place at run time, not in the repository.
      if (/^[A-Z][A-Z0-9_]*\//.test(text)) continue;
      const fileLike = FILE_NAME.test(text) || /.\/.+\/$/.test(text);
      if (roots.has(first) && (text.includes('/') || fileLike)) refs.push({ text, resolved: path.normalize(text), line: index + 1, kind: 'code' });
      else if (fileLike && /^[A-Za-z0-9_.[\]-]+(\/[A-Za-z0-9_.[\]-]+)*\/?$/.test(text))
        refs.push({ text, resolved: text.replace(/\/$/, ''), line: index + 1, kind: 'tail' });
    }
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!.split('#')[0]!;
      if (!target || target.startsWith('/') || /^[a-z]+:/i.test(target) || PLACEHOLDER.test(target)) continue;
      refs.push({ text: m[1]!, resolved: path.normalize(path.join(path.dirname(file), target)), line: index + 1, kind: 'link' });
    }
  });
  return refs;
}

/** Every file and folder of the repository, relative to its root (dependencies, build output and git excluded). */
function repoEntries(repoRoot: string): string[] {
  const skip = new Set(['node_modules', '.git', '.next', 'test-results', 'playwright-report', 'data']);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      out.push(rel);
      if (entry.isDirectory()) walk(rel);
    }
  };
  walk('');
  return out;
}

/** Refs of one page that name nothing in `repoRoot`, as "file:line: text". */
function missingRefs(markdown: string, file: string, repoRoot: string, entries: readonly string[] = repoEntries(repoRoot)): string[] {
  const exists = (ref: PathRef): boolean => {
    if (ref.kind === 'tail') return entries.some((e) => e === ref.resolved || e.endsWith(`/${ref.resolved}`));
    const full = path.join(repoRoot, ref.resolved);
    return fs.existsSync(full) && (!ref.text.endsWith('/') || fs.statSync(full).isDirectory());
  };
  return pathRefs(markdown, file, topLevel(repoRoot))
    .filter((ref) => !exists(ref))
    .map((ref) => `${file}:${ref.line}: ${ref.kind === 'link' ? 'link' : 'path'} ${ref.text}`);
}

function markdownPages(): string[] {
  const pages = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) pages.push(rel);
    }
  };
  walk('docs');
  return pages;
}

describe('paths named in the docs', () => {
  const pages = markdownPages();

  it('finds the architecture pages (so an empty walk cannot pass)', () => {
    expect(pages).toContain('docs/architecture.md');
    expect(pages.filter((p) => p.startsWith('docs/architecture/')).length).toBeGreaterThanOrEqual(5);
    const refs = pages.flatMap((p) => pathRefs(fs.readFileSync(path.join(root, p), 'utf8'), p, topLevel(root)));
    expect(refs.length).toBeGreaterThan(100);
  });

  it('every backticked repository path and relative link exists', () => {
    const entries = repoEntries(root);
    const missing = pages.flatMap((p) => missingRefs(fs.readFileSync(path.join(root, p), 'utf8'), p, root, entries));
    expect(missing).toEqual([]);
  });

  it('reports a path or link that names nothing, and skips placeholders and fenced code', () => {
    const page = [
      'The reaper is `lab-runner/lab/reaper.ts`, the engine `lab-runner/` and the site `app/api/_lib/`.',
      'Gone: `lab-runner/lab/no-such-file.ts` and `lib/content/`; see [the page](no-such-page.md#x) and [ok](kind.md).',
      'A file used as a folder: `server.ts/`. A line: `server.ts:12`.',
      'Short names: `reaper.ts`, `steps/step-context.ts`, `cli/commands/` exist; `no-such-helper.ts`, `steps/gone.ts` do not.',
      'Families: `sandboxes/<name>/sandbox.yaml`, `lab-runner/store/progress-store*.ts`, `app/_components/{lab,terminal}/`.',
      'Not paths: `DATA_DIR/secret`, `_draft/`, `/usr/local/sbin/ip`, `ip route`, `https://example.com/a.ts`, [web](https://example.com).',
      '```',
      'lab-runner/inside-a-fence.ts `lab-runner/inside-a-fence.ts`',
      '```',
    ].join('\n');
    expect(missingRefs(page, 'docs/example.md', root)).toEqual([
      'docs/example.md:2: path lab-runner/lab/no-such-file.ts',
      'docs/example.md:2: path lib/content/',
      'docs/example.md:2: link no-such-page.md#x',
      'docs/example.md:3: path server.ts/',
      'docs/example.md:4: path no-such-helper.ts',
      'docs/example.md:4: path steps/gone.ts',
    ]);
  });
});
