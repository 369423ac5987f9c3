// Every piece of shell a lesson runs or shows a learner: its challenge's scripts (setup, checks, solutions, near
// misses, right variants) and, in index.mdx, the <Run> commands, the bash code blocks and the inline code that
// names a command; and the page's YAML blocks. For tests that read the course's commands and manifests across
// lessons; remark-mdx reads the MDX, as the site does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createProcessor } from '@mdx-js/mdx';
import remarkGfm from 'remark-gfm';
import { literalOf } from '../../../course/content/estree-literal.ts';
import { splitFrontmatter } from '../../../course/content/frontmatter.ts';
import { REPO, loadChallenge, scriptsOf } from './challenge-scripts.ts';

export interface LessonShell {
  /** Where it is: "content/…/challenge.yaml tasks[1] web solution" or "content/…/index.mdx:52". */
  where: string;
  text: string;
  /**
   * script: what the grader or lab verify runs, as written. shown: a <Run> or a bash code block, whole commands a
   * learner runs or copies, where a placeholder such as <pod IP> may stand for a value. prose: inline code that
   * names a command in passing (`kubectl describe` in a sentence, a hint), so it may be a fragment.
   */
  kind: 'script' | 'shown' | 'prose';
}

/** The text with each placeholder (<pod>, <pod IP>) replaced by `value`; the shell would read them as redirections. */
export function withoutPlaceholders(text: string, value: string): string {
  return text.replace(/<[A-Za-z][\w -]*>/g, value);
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell']);

/** The lesson's shell, from its challenge.yaml (when it has one) and its index.mdx. */
export function lessonShell(lessonDir: string): LessonShell[] {
  const out: LessonShell[] = [];
  if (existsSync(path.join(REPO, lessonDir, 'challenge.yaml'))) {
    const challenge = loadChallenge(lessonDir);
    for (const s of scriptsOf(challenge)) out.push({ where: `${lessonDir}/challenge.yaml ${s.where}`, text: s.script, kind: 'script' });
    challenge.tasks.forEach((t, i) =>
      t.hints.forEach((hint, j) => {
        for (const m of hint.matchAll(/`([^`]+)`/g))
          out.push({ where: `${lessonDir}/challenge.yaml tasks[${i}] ${t.id} hints[${j}]`, text: m[1]!, kind: 'prose' });
      }),
    );
  }
  const mdxFile = path.join(lessonDir, 'index.mdx');
  out.push(...mdxShell(mdxFile, readFileSync(path.join(REPO, mdxFile), 'utf8')));
  return out;
}

interface MdNode {
  type: string;
  name?: string | null;
  lang?: string | null;
  value?: string;
  data?: { estree?: unknown };
  children?: MdNode[];
  position?: { start: { line: number } };
}

function parseMdx(file: string, source: string): MdNode {
  return createProcessor({ remarkPlugins: [remarkGfm] }).parse(splitFrontmatter(file, source).body) as unknown as MdNode;
}

export function mdxShell(file: string, source: string): LessonShell[] {
  const tree = parseMdx(file, source);
  const out: LessonShell[] = [];
  const walk = (node: MdNode) => {
    const where = `${file}:${node.position?.start.line ?? '?'}`;
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === 'Run') {
      out.push({ where, text: textOf(node), kind: 'shown' });
      return;
    }
    if (node.type === 'code' && node.lang && SHELL_LANGS.has(node.lang)) out.push({ where, text: node.value ?? '', kind: 'shown' });
    if (node.type === 'inlineCode') out.push({ where, text: node.value ?? '', kind: 'prose' });
    for (const child of node.children ?? []) walk(child);
  };
  walk(tree);
  return out;
}

export interface LessonYaml {
  /** "content/…/index.mdx:88" */
  where: string;
  text: string;
}

/** The lesson page's YAML code blocks: the manifests it shows a learner to apply or to read. */
export function lessonYamlBlocks(lessonDir: string): LessonYaml[] {
  const file = path.join(lessonDir, 'index.mdx');
  const out: LessonYaml[] = [];
  const walk = (node: MdNode) => {
    if (node.type === 'code' && (node.lang === 'yaml' || node.lang === 'yml'))
      out.push({ where: `${file}:${node.position?.start.line ?? '?'}`, text: node.value ?? '' });
    for (const child of node.children ?? []) walk(child);
  };
  walk(parseMdx(file, readFileSync(path.join(REPO, file), 'utf8')));
  return out;
}

/** A <Run>'s command: its text, or the string literal it holds ({"…"}, for commands Markdown would mangle). */
function textOf(node: MdNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  if (node.type === 'mdxTextExpression' || node.type === 'mdxFlowExpression') {
    const v = literalOf(node.data?.estree);
    return typeof v === 'string' ? v : '';
  }
  return (node.children ?? []).map(textOf).join('');
}
