import { describe, expect, it } from 'vitest';
import { compileMdx } from '../../../course/content/compile-mdx.ts';

describe('compileMdx', () => {
  it('gives headings stable, unique ids in document order', async () => {
    const mdx = await compileMdx('## Pods and `netns`\n\n### Step 1: veth\n\n## Pods and `netns`\n', 'x.mdx');
    expect(mdx.headings).toEqual([
      { depth: 2, id: 'pods-and-netns', text: 'Pods and netns', line: 1 },
      { depth: 3, id: 'step-1-veth', text: 'Step 1: veth', line: 3 },
      { depth: 2, id: 'pods-and-netns-1', text: 'Pods and netns', line: 5 },
    ]);
    expect(mdx.code).toContain('id: "pods-and-netns-1"');
  });

  it('highlights code on the server with light and dark colours and keeps the raw text for copying', async () => {
    const mdx = await compileMdx('```bash\nip -br addr\n```\n', 'x.mdx');
    expect(mdx.code).toContain('"--shiki-light"');
    expect(mdx.code).toContain('"--shiki-dark"');
    expect(mdx.code).toContain('"data-code": "ip -br addr"');
    expect(mdx.code).toContain('"data-language": "bash"');
    expect(mdx.codeBlocks).toEqual([{ lang: 'bash', line: 1, column: 1 }]);
  });

  it('moves the command written after a <Predict> inside it, so it stays hidden until the learner answers', async () => {
    const mdx = await compileMdx(
      `<Predict question="q" options={['a','b']} answer={0}>Why.</Predict>\n\n<Run target="node1">ip route</Run>\n\nAfter.\n`,
      'x.mdx',
    );
    const predict = mdx.code.indexOf('_jsxs(Predict');
    const run = mdx.code.indexOf('_jsx(Run');
    const after = mdx.code.indexOf('"After."');
    expect(predict).toBeGreaterThan(-1);
    expect(run).toBeGreaterThan(predict);
    // Run is a child of Predict: it closes before the paragraph that follows.
    expect(mdx.code.slice(predict, after)).toMatch(/_jsx\(Run[\s\S]*\}\)\]\s*\}\)/);
  });

  it('records literal props, links and ancestors, and rewrites SVG attribute names for React', async () => {
    const mdx = await compileMdx(
      '<Diagram title="t"><svg viewBox="0 0 1 1"><line class="pw-link" stroke-width="2" /></svg></Diagram>\n\n[x](/learn/a/b#c) <a href="/learn/d/e">y</a>\n',
      'x.mdx',
    );
    expect(mdx.jsx.find((j) => j.name === 'line')).toMatchObject({ attributes: { className: 'pw-link', strokeWidth: '2' }, ancestors: ['Diagram', 'svg'] });
    expect(mdx.code).toContain('strokeWidth: "2"');
    expect(mdx.links.map((l) => l.href)).toEqual(['/learn/a/b#c', '/learn/d/e']);
  });

  it('keeps URLs in SVG text as text (no GFM autolink inside a diagram)', async () => {
    const mdx = await compileMdx(
      '<Diagram title="t"><svg viewBox="0 0 1 1"><text className="pw-label">http://api :80</text></svg></Diagram>\n\nSee http://example.com\n',
      'x.mdx',
    );
    const svg = mdx.code.slice(mdx.code.indexOf('_jsx("svg"'), mdx.code.indexOf('"See "'));
    expect(svg).toContain('children: ["http://api", " :80"]');
    expect(svg).not.toContain('_components.a');
    expect(mdx.links.map((l) => l.href)).toEqual(['http://example.com']);
  });

  it('throws a positioned error on invalid MDX', async () => {
    await expect(compileMdx('\n\ntext {unclosed\n', 'x.mdx')).rejects.toMatchObject({ line: 3 });
  });
});
