import { describe, expect, it } from 'vitest';
import { checkContent, formatCheckResult, formatWarnings } from '../../../course/content/check.ts';
import { loadContent } from '../../../course/content/load-content.ts';
import { FIXTURES, fixtureRoots } from './fixture-roots.ts';

describe('content:check on the good fixture', () => {
  it('finds nothing to fix and prints the summary', async () => {
    const result = await checkContent(fixtureRoots('good'));
    expect(result.issues).toEqual([]);
    expect(formatCheckResult(result, FIXTURES)).toBe('3 lessons, 2 modules, 1 challenge OK');
  });

  it('warns, without failing, about a task with no near misses, at the task', async () => {
    const result = await checkContent(fixtureRoots('good'));
    expect(result.warnings).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'tasks[0].wrong',
        message: 'task make-netns has no near misses (wrong:): nothing proves its check rejects a wrong answer',
      }),
    ]);
    expect(formatWarnings(result, FIXTURES)).toMatch(/1 warning in 1 file \(not failing\): give every task at least two wrong: entries/);
  });

  it('indexes modules and lessons in order, with slugs that drop the numeric prefix', () => {
    const { index, issues } = loadContent(fixtureRoots('good').contentDir);
    expect(issues).toEqual([]);
    expect(index.modules.map((m) => [m.slug, m.metadata.title, m.minutes])).toEqual([
      ['basics', 'Basics', 35],
      ['more', 'More', 10],
    ]);
    expect(index.lessons.map((l) => l.href)).toEqual(['/learn/basics/first-lesson', '/learn/basics/second-lesson', '/learn/more/third-lesson']);
    const first = index.lessons[0]!;
    expect(first.frontmatter).toMatchObject({ sandbox: 'nodes-2', kindSandbox: 'kind-default', tags: ['cka:services-networking', 'layer:pod'], minutes: 20 });
    expect(first.challengeFile).toMatch(/01-first-lesson\/challenge\.yaml$/);
    expect(index.lessons[1]!.challengeFile).toBeUndefined();
  });
});
