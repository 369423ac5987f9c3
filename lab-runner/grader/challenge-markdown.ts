// Challenge texts (descriptions, hints, solutions) are Markdown written by authors; the panel shows them as HTML.
// Rendered here, on the server, to HTML that cannot carry script: raw HTML in the Markdown is dropped (mdast-util-to-hast
// without allowDangerousHtml) and links keep only http(s), mailto and relative targets.
import { toHtml } from 'hast-util-to-html';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toHast } from 'mdast-util-to-hast';
import { gfm } from 'micromark-extension-gfm';
import type { Element, Nodes, Parents } from 'hast';

const SAFE_URL = /^(https?:|mailto:|\/|#|\.{0,2}\/)|^[^:]*$/i;
const cache = new Map<string, string>();

export function renderChallengeMarkdown(markdown: string): string {
  const hit = cache.get(markdown);
  if (hit !== undefined) return hit;
  const mdast = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const hast = toHast(mdast);
  sanitize(hast);
  const html = toHtml(hast);
  if (cache.size > 2000) cache.clear(); // texts come from a bounded set of files; this only caps a pathological case
  cache.set(markdown, html);
  return html;
}

function sanitize(node: Nodes): void {
  if (node.type === 'element') {
    const el = node as Element;
    for (const attr of ['href', 'src'] as const) {
      const v = el.properties[attr];
      if (typeof v === 'string' && !SAFE_URL.test(v.trim())) delete el.properties[attr];
    }
    if (el.tagName === 'a') {
      el.properties.rel = ['noopener', 'noreferrer'];
      if (typeof el.properties.href === 'string' && /^https?:/i.test(el.properties.href)) el.properties.target = '_blank';
    }
    if (el.tagName === 'img') el.properties.loading = 'lazy';
  }
  if ('children' in node) for (const child of (node as Parents).children) sanitize(child as Nodes);
}
