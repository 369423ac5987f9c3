// content:check — everything that can be wrong with the course, found before a learner sees it:
// module and lesson metadata, sandboxes, MDX that compiles, components and their props, code languages,
// internal links and heading anchors, diagrams, and challenge.yaml. `next build` runs the same check.
import path from 'node:path';
import { checkChallenge } from './check-challenge.ts';
import { checkExams } from './check-exams.ts';
import { checkComponents } from './check-components.ts';
import { checkLinks } from './check-links.ts';
import { compileMdx } from './compile-mdx.ts';
import type { CompiledMdx } from './compile-mdx.ts';
import { closest, formatIssues } from './content-issue.ts';
import type { ContentIssue } from './content-issue.ts';
import type { ContentRoots } from './content-paths.ts';
import { codeLanguages, isKnownLanguage, plainLanguages } from './highlighter.ts';
import { loadContent } from './load-content.ts';
import type { ContentIndex } from './load-content.ts';
import { SandboxCatalog } from '../sandbox/sandbox-catalog.ts';
import type { SandboxInfo } from '../sandbox/describe-sandbox.ts';

export interface CheckResult {
  issues: ContentIssue[];
  /** Printed but not failing: tasks without near misses. */
  warnings: ContentIssue[];
  index: ContentIndex;
  lessons: number;
  modules: number;
  challenges: number;
}

export async function checkContent(roots: ContentRoots): Promise<CheckResult> {
  const { index, issues, unindexed } = loadContent(roots.contentDir);
  const sandboxes = new SandboxCatalog(roots.sandboxesDir).describe();
  const sandboxNames = [...sandboxes.keys()].sort();

  // Compile every lesson first: links are checked against the heading ids of all of them.
  const compiled = new Map<string, CompiledMdx | undefined>();
  for (const lesson of [...index.lessons.map((l) => ({ file: l.file, body: l.body })), ...unindexed]) {
    try {
      compiled.set(lesson.file, await compileMdx(lesson.body, lesson.file));
    } catch (err) {
      compiled.set(lesson.file, undefined);
      issues.push(compileIssue(lesson.file, err));
    }
  }
  const linkTargets = { lessons: new Map(index.lessons.map((l) => [l.href, compiled.get(l.file)?.headings.map((h) => h.id)])) };

  let challenges = 0;
  const warnings: ContentIssue[] = [];
  for (const lesson of index.lessons) {
    const fm = lesson.frontmatter;
    const sandbox = sandboxes.get(fm.sandbox);
    if (!sandbox) issues.push(unknownSandbox(lesson.file, lesson.fieldLines.sandbox, 'sandbox', fm.sandbox, sandboxNames));
    else if (sandbox.error) issues.push(invalidSandbox(lesson.file, lesson.fieldLines.sandbox, 'sandbox', sandbox.name, sandbox.error));
    if (fm.kindSandbox !== undefined) {
      const kind = sandboxes.get(fm.kindSandbox);
      if (!kind)
        issues.push(
          unknownSandbox(
            lesson.file,
            lesson.fieldLines.kindSandbox,
            'kindSandbox',
            fm.kindSandbox,
            sandboxNames.filter((n) => sandboxes.get(n)?.kind === 'kind'),
          ),
        );
      else if (kind.error) issues.push(invalidSandbox(lesson.file, lesson.fieldLines.kindSandbox, 'kindSandbox', kind.name, kind.error));
      else if (kind.kind !== 'kind')
        issues.push({
          file: lesson.file,
          line: lesson.fieldLines.kindSandbox,
          field: 'frontmatter.kindSandbox',
          message: `sandbox ${kind.name} is not a kind cluster`,
          valid: 'a sandbox whose sandbox.yaml says runtime: kind',
        });
    }

    const mdx = compiled.get(lesson.file);
    if (mdx) issues.push(...checkBody(lesson.file, lesson.href, mdx, sandbox, linkTargets));

    if (lesson.challengeFile) {
      challenges++;
      const challenge = checkChallenge(lesson.challengeFile, sandbox);
      issues.push(...challenge.errors);
      warnings.push(...challenge.warnings);
    }
  }
  for (const lesson of unindexed) {
    const mdx = compiled.get(lesson.file);
    if (mdx) issues.push(...checkBody(lesson.file, undefined, mdx, undefined, linkTargets));
  }
  issues.push(...(await checkExams(roots.contentDir)).issues); // practice exams (content/exams)
  return { issues, warnings, index, lessons: index.lessons.length + unindexed.length, modules: index.modules.length, challenges };
}

function checkBody(
  file: string,
  href: string | undefined,
  mdx: CompiledMdx,
  sandbox: SandboxInfo | undefined,
  linkTargets: Parameters<typeof checkLinks>[4],
): ContentIssue[] {
  const ids = mdx.headings.map((h) => h.id);
  return [
    ...checkLinks(file, href, ids, mdx.links, linkTargets),
    ...checkComponents(file, mdx.jsx, sandbox?.targets, sandbox?.name),
    ...checkCodeBlocks(file, mdx),
    ...mdx.headings
      .filter((h) => h.depth === 1)
      .map((h) => ({
        file,
        line: h.line,
        field: 'heading',
        message: `"# ${h.text}" is a second page title: the lesson page already shows the frontmatter title as its h1`,
        valid: 'sections starting at ## (h2), subsections ### (h3)',
      })),
  ];
}

function checkCodeBlocks(file: string, mdx: CompiledMdx): ContentIssue[] {
  const valid = `one of ${[...codeLanguages, ...plainLanguages].join(', ')}`;
  return mdx.codeBlocks.flatMap((block): ContentIssue[] => {
    const at = { file, line: block.line, column: block.column, field: 'code block' };
    if (!block.lang) return [{ ...at, message: 'fenced code block without a language', valid: `\`\`\`bash, \`\`\`yaml or \`\`\`text (${valid})` }];
    if (isKnownLanguage(block.lang)) return [];
    const guess = closest(block.lang, [...codeLanguages, ...plainLanguages]);
    return [{ ...at, message: `unknown code language "${block.lang}"${guess ? ` (did you mean "${guess}"?)` : ''}`, valid }];
  });
}

function unknownSandbox(file: string, line: number | undefined, field: string, name: string, known: string[]): ContentIssue {
  const guess = closest(name, known);
  return {
    file,
    line,
    field: `frontmatter.${field}`,
    message: `sandbox "${name}" does not exist${guess ? ` (did you mean "${guess}"?)` : ''}`,
    valid: known.length
      ? `one of ${known.join(', ')} (directories under sandboxes/ with sandbox.yaml or kind.yaml)`
      : 'a directory under sandboxes/ with sandbox.yaml or kind.yaml (none exist yet)',
  };
}

function invalidSandbox(file: string, line: number | undefined, field: string, name: string, error: string): ContentIssue {
  return {
    file,
    line,
    field: `frontmatter.${field}`,
    message: `sandbox "${name}" exists but the lab runner rejects it: ${error.split('\n').slice(0, 3).join(' ')}`,
    valid: `a valid sandboxes/${name}/sandbox.yaml (see sandboxes/sandbox.schema.json)`,
  };
}

interface VFileMessageLike {
  reason?: string;
  message?: string;
  line?: number;
  column?: number;
  place?: { line?: number; column?: number; start?: { line: number; column: number } };
}

function compileIssue(file: string, err: unknown): ContentIssue {
  const e = (err ?? {}) as VFileMessageLike;
  let reason = (e.reason ?? e.message ?? String(err)).split('\n')[0]!;
  let line = e.line ?? e.place?.start?.line ?? e.place?.line;
  let column = e.column ?? e.place?.start?.column ?? e.place?.column;
  // Some micromark errors carry their place only in the text: "Expected a closing tag for `<Callout>` (14:1-14:22)".
  const inText = /\s*\((\d+):(\d+)(?:-\d+:\d+)?\)\s*$/.exec(reason);
  if (inText) {
    line ??= Number(inText[1]);
    column ??= Number(inText[2]);
    reason = reason.slice(0, inText.index);
  }
  return {
    file,
    line: line ?? undefined,
    column: column ?? undefined,
    field: 'MDX',
    message: `MDX does not compile: ${reason}`,
    valid: 'MDX: close every JSX tag, escape a literal < or { as \\< and \\{, and quote attribute strings',
  };
}

/** The warnings grouped by file, with a count; empty when there are none. */
export function formatWarnings(result: CheckResult, baseDir: string): string {
  const n = result.warnings.length;
  if (n === 0) return '';
  const files = new Set(result.warnings.map((i) => i.file)).size;
  return (
    `${formatIssues(result.warnings, baseDir)}\n\n${n} warning${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (not failing): ` +
    'give every task at least two wrong: entries, near misses a learner really makes (docs/challenges.md, "Near misses")'
  );
}

/** Human-readable report; the summary line when there is nothing to fix. */
export function formatCheckResult(result: CheckResult, baseDir: string): string {
  if (result.issues.length === 0) {
    return `${result.lessons} lesson${result.lessons === 1 ? '' : 's'}, ${result.modules} module${result.modules === 1 ? '' : 's'}, ${result.challenges} challenge${result.challenges === 1 ? '' : 's'} OK`;
  }
  const files = new Set(result.issues.map((i) => path.relative(baseDir, i.file))).size;
  return `${formatIssues(result.issues, baseDir)}\n\n${result.issues.length} error${result.issues.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`;
}
