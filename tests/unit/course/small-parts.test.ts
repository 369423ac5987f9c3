import { describe, expect, it } from 'vitest';
import { closest, formatIssues } from '../../../course/content/content-issue.ts';
import { literalOf } from '../../../course/content/estree-literal.ts';
import { splitFrontmatter } from '../../../course/content/frontmatter.ts';
import { parseOrderedDirName } from '../../../course/content/slug.ts';
import { readableOn, readableTokenStyle } from '../../../course/content/highlighter.ts';

describe('content helpers', () => {
  it('parses ordered directory names', () => {
    expect(parseOrderedDirName('01-pods-and-network-namespaces')).toEqual({ order: 1, slug: 'pods-and-network-namespaces' });
    expect(parseOrderedDirName('pods')).toBeUndefined();
    expect(parseOrderedDirName('1-Pods')).toBeUndefined();
  });

  it('keeps MDX line numbers when the frontmatter is split off', () => {
    const split = splitFrontmatter('f.mdx', '---\ntitle: x\n---\n\n## Hi\n');
    expect(split.body.split('\n')[4]).toBe('## Hi');
    expect(split.frontmatter?.value).toEqual({ title: 'x' });
    expect(splitFrontmatter('f.mdx', '## no frontmatter').issues[0]).toMatchObject({ line: 1, field: 'frontmatter' });
    expect(splitFrontmatter('f.mdx', '---\ntitle: x\n').issues[0]?.message).toBe('the frontmatter block is never closed');
  });

  it('reports YAML syntax errors in frontmatter at the file line', () => {
    const split = splitFrontmatter('f.mdx', '---\ntitle: x\nsummary: [unclosed\n---\n');
    expect(split.issues[0]).toMatchObject({ field: 'frontmatter', message: expect.stringMatching(/^YAML syntax error/) });
    expect(split.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('evaluates literal attribute expressions only', () => {
    const program = (expression: unknown) => ({ body: [{ type: 'ExpressionStatement', expression }] });
    expect(literalOf(program({ type: 'Literal', value: 2 }))).toBe(2);
    expect(literalOf(program({ type: 'ArrayExpression', elements: [{ type: 'Literal', value: 'a' }] }))).toEqual(['a']);
    expect(literalOf(program({ type: 'Identifier', name: 'x' }))).toBeUndefined();
  });

  it('suggests close words only', () => {
    expect(closest('objective', ['objectives', 'order'])).toBe('objectives');
    expect(closest('zzz', ['objectives', 'order'])).toBeUndefined();
  });

  it('groups issues by file, sorted by line', () => {
    const text = formatIssues(
      [
        { file: '/c/b.mdx', line: 9, field: 'x', message: 'late' },
        { file: '/c/a.mdx', message: 'no line' },
        { file: '/c/b.mdx', line: 2, column: 4, field: 'y', message: 'early', valid: 'z' },
      ],
      '/c',
    );
    expect(text).toBe(['a.mdx', '  -        no line', 'b.mdx', '  2:4      y  early — valid: z', '  9:1      x  late'].join('\n'));
  });

  it('darkens (light theme) or lightens (dark theme) token colours that fail AA on the code background, and leaves good ones', () => {
    expect(readableOn('#1f2328', '#f6f8fa', 'black')).toBe('#1f2328');
    const fixed = readableOn('#6e7781', '#f6f8fa', 'black');
    expect(fixed).not.toBe('#6e7781');
    expect(parseInt(fixed.slice(1, 3), 16)).toBeLessThan(0x6e);
    expect(readableTokenStyle('--shiki-light:#6E7781;--shiki-dark:#8B949E')).toBe(`--shiki-light:${fixed};--shiki-dark:#8b949e`);
  });
});
