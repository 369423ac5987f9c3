// One MDX pipeline for the site and the checker: GFM, stable heading ids, shiki highlighting at build time,
// and a record of what the lesson uses (headings, links, components, code languages) for content:check.
import { compile } from '@mdx-js/mdx';
import rehypeShikiFromHighlighter from '@shikijs/rehype/core';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import type { ShikiTransformer } from 'shiki';
import { codeThemes, getHighlighter, readableTokenStyle } from './highlighter.ts';
import { literalOf } from './estree-literal.ts';
import type { Literal } from './estree-literal.ts';

export interface LessonHeading {
  depth: number;
  id: string;
  text: string;
  /** Source line, for content:check messages. */
  line?: number;
}

export interface SourcePosition {
  line?: number;
  column?: number;
}

export interface LessonLink extends SourcePosition {
  href: string;
}

export interface JsxUse extends SourcePosition {
  name: string;
  /** Literal attribute values; `undefined` marks an attribute whose value is a non-literal expression. */
  attributes: Record<string, Literal | undefined>;
  /** Names of enclosing JSX elements, outermost first. */
  ancestors: string[];
}

export interface CodeBlockUse extends SourcePosition {
  lang: string | null;
}

export interface CompiledMdx {
  /** A function body for @mdx-js/mdx `run`. */
  code: string;
  headings: LessonHeading[];
  links: LessonLink[];
  jsx: JsxUse[];
  codeBlocks: CodeBlockUse[];
}

interface Collected {
  headings: LessonHeading[];
  links: LessonLink[];
  jsx: JsxUse[];
  codeBlocks: CodeBlockUse[];
}

/** Compile MDX (frontmatter already blanked out, so lines match the file). Throws a VFileMessage with line/column on bad MDX. */
export async function compileMdx(source: string, filePath: string): Promise<CompiledMdx> {
  const collected: Collected = { headings: [], links: [], jsx: [], codeBlocks: [] };
  const highlighter = await getHighlighter();
  const shikiTransformer: ShikiTransformer = {
    name: 'packetwalk:code-block-data',
    pre(node) {
      // The <pre> component reads these: the language badge and the text the copy button copies.
      node.properties.dataLanguage = this.options.lang;
      node.properties.dataCode = this.source;
    },
    span(node) {
      // Theme palettes are tuned for their own backgrounds; keep every token AA-readable on ours.
      if (typeof node.properties.style === 'string') node.properties.style = readableTokenStyle(node.properties.style);
    },
  };
  const file = await compile(
    { value: source, path: filePath },
    {
      outputFormat: 'function-body',
      development: false,
      remarkPlugins: [remarkGfm, [remarkPacketwalk, collected]],
      rehypePlugins: [
        rehypeSlug,
        [rehypeCollectHeadings, collected],
        [
          rehypeShikiFromHighlighter,
          highlighter,
          {
            themes: codeThemes,
            defaultColor: false,
            defaultLanguage: 'text',
            fallbackLanguage: 'text',
            transformers: [shikiTransformer],
          },
        ],
      ],
    },
  );
  // @mdx-js/mdx's typing of the processor options is stricter than the plugins' own; the call above is checked at runtime by tests.
  return { code: String(file), ...collected };
}

// ---- minimal tree types (mdast/hast with MDX JSX), enough for the walkers below ----
interface Point {
  line: number;
  column: number;
}
interface TreeNode {
  type: string;
  name?: string | null;
  tagName?: string;
  url?: string;
  lang?: string | null;
  value?: string;
  attributes?: JsxAttribute[];
  properties?: Record<string, unknown>;
  children?: TreeNode[];
  position?: { start: Point };
}
interface JsxAttribute {
  type: 'mdxJsxAttribute' | 'mdxJsxExpressionAttribute';
  name?: string;
  value?: string | null | { type: string; value: string; data?: { estree?: unknown } };
}

const isJsx = (n: TreeNode) => n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement';
const at = (n: TreeNode): SourcePosition => (n.position ? { line: n.position.start.line, column: n.position.start.column } : {});

function walk(node: TreeNode, visit: (n: TreeNode, ancestors: TreeNode[]) => void, ancestors: TreeNode[] = []): void {
  visit(node, ancestors);
  if (!node.children) return;
  const next = [...ancestors, node];
  // Copy: visitors may restructure children (Predict adopts its next sibling).
  for (const child of [...node.children]) walk(child, visit, next);
}

/** React wants className/htmlFor/strokeWidth; authors paste SVG with class/for/stroke-width. */
function reactAttributeName(name: string): string {
  if (name === 'class') return 'className';
  if (name === 'for') return 'htmlFor';
  if (name.startsWith('data-') || name.startsWith('aria-')) return name;
  if (name.includes(':')) return name.replace(/:([a-z])/g, (_, c: string) => c.toUpperCase());
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function remarkPacketwalk(collected: Collected) {
  return (tree: TreeNode) => {
    unlinkInsideSvg(tree);
    adoptRevealedCommands(tree);
    walk(tree, (node, ancestors) => {
      if (node.type === 'code') collected.codeBlocks.push({ lang: node.lang ?? null, ...at(node) });
      if ((node.type === 'link' || node.type === 'definition') && node.url) collected.links.push({ href: node.url, ...at(node) });
      if (!isJsx(node) || !node.name) return;
      const intrinsic = /^[a-z]/.test(node.name);
      const attributes: Record<string, Literal | undefined> = {};
      for (const attr of node.attributes ?? []) {
        if (attr.type !== 'mdxJsxAttribute' || !attr.name) continue;
        if (intrinsic) attr.name = reactAttributeName(attr.name);
        const v = attr.value;
        attributes[attr.name] = v === null || v === undefined ? true : typeof v === 'string' ? v : literalOf(v.data?.estree);
      }
      const names = ancestors.filter(isJsx).map((a) => a.name ?? '');
      collected.jsx.push({ name: node.name, attributes, ancestors: names, ...at(node) });
      if (node.name === 'a' && typeof attributes.href === 'string') collected.links.push({ href: attributes.href, ...at(node) });
    });
  };
}

/**
 * Text inside an <svg> is still parsed as Markdown, so GFM turns "http://api :80" in a <text> label into a link:
 * an HTML <a> inside SVG, focusable and meaningless in a picture. Put the plain text back.
 */
function unlinkInsideSvg(tree: TreeNode): void {
  walk(tree, (node, ancestors) => {
    if (!node.children || !ancestors.concat(node).some((a) => isJsx(a) && a.name === 'svg')) return;
    node.children = node.children.flatMap((c) => (c.type === 'link' ? (c.children ?? []) : [c]));
  });
}

/**
 * <Predict> hides its explanation until the learner answers; the command that reveals the answer is written
 * right after it (a code block or a <Run>), so it moves inside the Predict and is hidden with the explanation.
 */
function adoptRevealedCommands(tree: TreeNode): void {
  walk(tree, (node) => {
    const children = node.children;
    if (!children) return;
    for (let i = 0; i < children.length - 1; i++) {
      const c = children[i]!;
      if (!(isJsx(c) && c.name === 'Predict')) continue;
      const next = children[i + 1]!;
      const isCommand = next.type === 'code' || (isJsx(next) && next.name === 'Run');
      if (!isCommand) continue;
      c.children = [...(c.children ?? []), next];
      children.splice(i + 1, 1);
    }
  });
}

function rehypeCollectHeadings(collected: Collected) {
  return (tree: TreeNode) => {
    walk(tree, (node) => {
      const m = node.type === 'element' && node.tagName ? /^h([1-6])$/.exec(node.tagName) : null;
      const id = node.properties?.id;
      if (m && typeof id === 'string')
        collected.headings.push({ depth: Number(m[1]), id, text: textOf(node).trim(), ...(node.position ? { line: node.position.start.line } : {}) });
    });
  };
}

function textOf(node: TreeNode): string {
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}
