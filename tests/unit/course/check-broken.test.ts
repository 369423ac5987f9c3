// Every broken fixture must produce the message an author needs: file, line, field, what is wrong, what is valid.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContent, formatCheckResult } from '../../../course/content/check.ts';
import type { ContentIssue } from '../../../course/content/content-issue.ts';
import { FIXTURES, fixtureRoots } from './fixture-roots.ts';

async function issuesOf(tree: string) {
  const result = await checkContent(fixtureRoots(tree));
  const rel = (i: ContentIssue) => ({ ...i, file: path.relative(path.join(FIXTURES, tree), i.file) });
  return { result, issues: result.issues.map(rel), report: formatCheckResult(result, FIXTURES) };
}

const LESSON = '01-basics/01-first-lesson/index.mdx';
const CHALLENGE = '01-basics/01-first-lesson/challenge.yaml';

describe('content:check on broken fixtures', () => {
  it('names a missing frontmatter field', async () => {
    const { issues, report } = await issuesOf('broken-missing-field');
    expect(issues).toEqual([
      expect.objectContaining({
        file: LESSON,
        line: 2,
        field: 'frontmatter.minutes',
        message: 'is required but missing',
        valid: expect.stringContaining('minutes: 25'),
      }),
    ]);
    expect(report).toContain('broken-missing-field/01-basics/01-first-lesson/index.mdx\n  2:1');
    expect(report).toMatch(/1 error in 1 file$/);
  });

  it('reports a misspelt key with a suggestion, a wrong type and a bad tag at their lines', async () => {
    const { issues } = await issuesOf('broken-frontmatter-types');
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 4, field: 'frontmatter.objective', message: 'unknown field "objective" (did you mean "objectives"?)' }),
        expect.objectContaining({ line: 6, field: 'frontmatter.minutes', message: 'must be a number' }),
        expect.objectContaining({ line: 9, field: 'frontmatter.tags[0]', message: 'must look like cka:services-networking or layer:pod' }),
        expect.objectContaining({ field: 'frontmatter.objectives', message: 'is required but missing' }),
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('rejects a sandbox that does not exist and lists the ones that do', async () => {
    const { issues } = await issuesOf('broken-unknown-sandbox');
    expect(issues).toEqual([
      expect.objectContaining({
        file: LESSON,
        line: 8,
        field: 'frontmatter.sandbox',
        message: 'sandbox "nodes-3" does not exist (did you mean "nodes-1"?)',
        valid: expect.stringContaining('one of kind-default, nodes-1, nodes-2, nodes-bad'),
      }),
    ]);
  });

  it('rejects a sandbox that exists but that the lab runner would refuse, with its reason', async () => {
    const { issues } = await issuesOf('broken-invalid-sandbox');
    expect(issues).toEqual([
      expect.objectContaining({
        line: 8,
        field: 'frontmatter.sandbox',
        message: expect.stringMatching(/^sandbox "nodes-bad" exists but the lab runner rejects it: .*nodes/),
        valid: 'a valid sandboxes/nodes-bad/sandbox.yaml (see sandboxes/sandbox.schema.json)',
      }),
    ]);
  });

  it('finds dead internal links with line and column', async () => {
    const { issues } = await issuesOf('broken-dead-link');
    expect(issues).toEqual([
      expect.objectContaining({
        line: 14,
        column: 5,
        message: expect.stringMatching(/^no lesson at \/learn\/basics\/second-lesson/),
        valid: 'one of /learn/basics/first-lesson',
      }),
      expect.objectContaining({ line: 14, message: 'no page at /lessons/pods' }),
    ]);
  });

  it('finds anchors that match no heading, in another lesson and in the same one', async () => {
    const { issues } = await issuesOf('broken-dead-anchor');
    expect(issues).toEqual([
      expect.objectContaining({
        line: 14,
        message: 'no heading with id "routing-tabel" in /learn/basics/second-lesson (did you mean #routing-table?)',
        valid: 'one of #routing-table',
      }),
      expect.objectContaining({ line: 14, message: 'no heading with id "hello-wrld" in this lesson (did you mean #hello-world?)' }),
    ]);
  });

  it('reports MDX that does not compile at the line of the unclosed tag', async () => {
    const { issues } = await issuesOf('broken-bad-mdx');
    expect(issues).toEqual([
      expect.objectContaining({ file: LESSON, line: 14, field: 'MDX', message: 'MDX does not compile: Expected a closing tag for `<Callout>`' }),
    ]);
  });

  it('validates challenge.yaml with the grader schema and YAML lines', async () => {
    const { issues, result } = await issuesOf('broken-bad-challenge');
    expect(result.challenges).toBe(1);
    expect(issues).toEqual([
      expect.objectContaining({
        file: CHALLENGE,
        line: 7,
        field: 'tasks[0].timeout',
        message: 'must be like 500ms, 10s or 1m',
        valid: expect.stringContaining('500ms'),
      }),
      expect.objectContaining({ file: CHALLENGE, line: 11, field: 'tasks[1].check', message: expect.stringContaining('missing') }),
      expect.objectContaining({ file: CHALLENGE, line: 15, field: 'tasks[1].chek', message: expect.stringContaining('did you mean "check"?') }),
    ]);
  });

  it("rejects a challenge target that the lesson's sandbox does not have", async () => {
    const { issues } = await issuesOf('broken-bad-challenge-target');
    expect(issues).toEqual([
      expect.objectContaining({
        file: CHALLENGE,
        line: 5,
        field: 'tasks[0].target',
        message: expect.stringContaining('"node3"'),
        valid: 'one of node1, node2 (targets of sandbox nodes-2)',
      }),
    ]);
  });

  it('validates module.yaml', async () => {
    const { issues } = await issuesOf('broken-bad-module');
    expect(issues).toHaveLength(2);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: '01-basics/module.yaml', field: 'summary', message: 'is required but missing' }),
        expect.objectContaining({ file: '01-basics/module.yaml', line: 2, field: 'order', message: 'must be a number' }),
      ]),
    );
  });

  it('checks components, their props, Run targets, diagram styling and code languages', async () => {
    const { issues } = await issuesOf('broken-components');
    const summary = issues.map((i) => `${i.line} ${i.field}: ${i.message}`).sort((a, b) => parseInt(a) - parseInt(b));
    expect(summary).toEqual([
      '14 <Calout>: unknown component <Calout> (did you mean <Callout>?)',
      '16 <Callout type>: must be one of note, tip, warning, danger',
      '18 <Run target>: target "node9" is not in sandbox nodes-2 (did you mean "node1"?)',
      '20 <Predict answer>: answer must be the 0-based index of one of the options',
      '24 <Diagram> <rect>: class "pw-hots" is not a diagram class (did you mean "pw-host"?)',
      '24 <Diagram> <rect>: fill="#ff0000" hard-codes a colour, which breaks the other theme',
      '28 code block: fenced code block without a language',
      '32 code block: unknown code language "shell-script"',
      '36 heading: "# A second title" is a second page title: the lesson page already shows the frontmatter title as its h1',
      '38 <Edit target>: target "node7" is not in sandbox nodes-2 (did you mean "node1"?)',
    ]);
  });
});
