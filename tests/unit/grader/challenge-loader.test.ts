import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTargets, formatChallengeIssue, loadChallenge, loadChallengeOrThrow, parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { CHALLENGE_SCHEMA_FILE, challengeJsonSchemaText } from '../../../course/challenge/challenge-json-schema.ts';

const task = (id: string, extra = '') => `
  - id: ${id}
    title: Task ${id}
    description: Do ${id}.
    target: node1
    check: test -e /tmp/${id}
    solution:
      text: touch it
      script: touch /tmp/${id}${extra}`;

function issuesOf(text: string) {
  const r = parseChallenge(text, 'content/m/l/challenge.yaml');
  if (r.ok) throw new Error('expected issues, got a valid challenge');
  return r.issues;
}

describe('parseChallenge', () => {
  it('parses a valid challenge and applies defaults', () => {
    const r = parseChallenge(`tasks:${task('a')}${task('b', '\n    needs: [a]\n    timeout: 2s')}`, 'c.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.challenge.setup).toEqual([]);
    expect(r.challenge.tasks[0]!.timeout).toBe(10_000);
    expect(r.challenge.tasks[1]!.timeout).toBe(2_000);
    expect(r.challenge.tasks[1]!.needs).toEqual(['a']);
    expect(r.challenge.tasks[0]!.hints).toEqual([]);
  });

  it('names the file, line and field of a bad value', () => {
    const issues = issuesOf(`tasks:${task('a')}\n    timeout: soon`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'content/m/l/challenge.yaml', line: 10, field: 'tasks[0].timeout' });
    expect(formatChallengeIssue(issues[0]!)).toBe('content/m/l/challenge.yaml:10:14 tasks[0].timeout: must be like 500ms, 10s or 1m');
  });

  it('says a missing field is missing and points at its parent', () => {
    const issues = issuesOf('tasks:\n  - id: a\n    title: A\n    target: node1\n    check: "true"\n    solution: {text: t, script: s}\n');
    expect(issues).toEqual([expect.objectContaining({ line: 2, field: 'tasks[0].description', message: 'required field is missing (expected string)' })]);
  });

  it('points at an unknown key and suggests the intended one', () => {
    const issues = issuesOf(`tasks:${task('a')}\n    hint: [nudge]`);
    expect(issues[0]).toMatchObject({ line: 10, column: 5, field: 'tasks[0].hint' });
    expect(issues[0]!.message).toContain('did you mean "hints"?');
  });

  it('reports every problem, sorted by line', () => {
    const issues = issuesOf(
      `setup:\n  - target: Node1\n    script: x\ntasks:${task('a')}\n    invariants:\n      - id: still-there\n        title: x\n        check: ""`,
    );
    expect(issues.map((i) => i.field)).toEqual(['setup[0].target', 'tasks[0].invariants[0].check']);
    expect(issues[0]!.line).toBe(2);
    expect(issues[1]!.line).toBe(16);
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('tasks:\n  - id: a\n    title: [unclosed\n');
    expect(issues[0]!.message).toMatch(/^YAML syntax:/);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('rejects duplicate keys, an empty file and a challenge without tasks', () => {
    expect(issuesOf('tasks: []\ntasks: []')[0]!.message).toMatch(/YAML syntax:.*[Uu]nique/);
    expect(issuesOf('')[0]!.message).toContain('empty');
    expect(issuesOf('tasks: []')[0]).toMatchObject({ field: 'tasks', message: 'a challenge needs at least one task' });
  });

  describe('needs graph', () => {
    it('rejects a need on an unknown task, naming the known ones', () => {
      const issues = issuesOf(`tasks:${task('a')}${task('b', '\n    needs: [a, c]')}`);
      expect(issues).toEqual([expect.objectContaining({ field: 'tasks[1].needs[1]', message: 'needs unknown task "c" (known: a, b)' })]);
      expect(issues[0]!.line).toBe(18);
    });

    it('rejects a cycle and shows it', () => {
      const issues = issuesOf(`tasks:${task('a', '\n    needs: [c]')}${task('b', '\n    needs: [a]')}${task('c', '\n    needs: [b]')}`);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.message).toBe("tasks' needs form a cycle: a -> c -> b -> a");
      expect(issues[0]).toMatchObject({ field: 'tasks[0].needs', line: 10 });
    });

    it('rejects a task that needs itself and duplicate ids', () => {
      expect(issuesOf(`tasks:${task('a', '\n    needs: [a]')}`)[0]!.message).toContain('a -> a');
      expect(issuesOf(`tasks:${task('a')}${task('a')}`)[0]).toMatchObject({ field: 'tasks[1].id', message: 'duplicate task id "a"' });
    });

    it('rejects two near misses (or two variants, or two invariants) with one id in a task, at the second one', () => {
      const entry = (id: string) => `\n      - { id: ${id}, title: t, script: 'true' }`;
      const issues = issuesOf(
        `tasks:${task('a', `\n    wrong:${entry('host-route')}${entry('host-route')}\n    right:${entry('host-route')}${entry('other')}${entry('other')}`)}`,
      );
      expect(issues).toEqual([
        expect.objectContaining({ field: 'tasks[0].wrong[1].id', line: 12, message: 'duplicate wrong id "host-route" in task a' }),
        expect.objectContaining({ field: 'tasks[0].right[2].id', line: 16, message: 'duplicate right id "other" in task a' }),
      ]);
      const inv = `\n    invariants:\n      - {id: kept, title: t, check: 'true'}\n      - {id: kept, title: t, check: 'true'}`;
      expect(issuesOf(`tasks:${task('a', inv)}`)).toEqual([
        expect.objectContaining({ field: 'tasks[0].invariants[1].id', message: 'duplicate invariant id "kept" in task a' }),
      ]);
    });

    it('checks a near miss like any other field: a typo is an error with a suggestion', () => {
      const issues = issuesOf(`tasks:${task('a', "\n    wrong:\n      - { id: x, title: t, scirpt: 'true' }")}`);
      expect(issues.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringContaining('did you mean "script"?')]));
    });

    it('accepts a diamond', () => {
      const r = parseChallenge(
        `tasks:${task('a')}${task('b', '\n    needs: [a]')}${task('c', '\n    needs: [a]')}${task('d', '\n    needs: [b, c]')}`,
        'c.yaml',
      );
      expect(r.ok).toBe(true);
    });
  });
});

describe('loadChallenge', () => {
  it('reads a file, and reports a missing one without a line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-challenge-'));
    const file = path.join(dir, 'challenge.yaml');
    await writeFile(file, `tasks:${task('a')}`);
    expect((await loadChallengeOrThrow(file)).tasks[0]!.id).toBe('a');
    const missing = await loadChallenge(path.join(dir, 'nope.yaml'));
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.issues[0]).toEqual({ file: path.join(dir, 'nope.yaml'), field: '', message: 'file not found' });
    await writeFile(file, 'tasks: 3');
    await expect(loadChallengeOrThrow(file)).rejects.toThrow(/challenge\.yaml:1:8 tasks: /);
  });
});

describe('checkTargets', () => {
  it('flags targets the sandbox does not have', () => {
    const r = parseChallenge(`setup:\n  - target: node3\n    script: x\ntasks:${task('a')}`, 'c.yaml');
    if (!r.ok) throw new Error('fixture must be valid');
    expect(checkTargets(r.challenge, ['node1', 'node2'], 'c.yaml')).toEqual([
      { file: 'c.yaml', field: 'setup[0].target', message: 'unknown target "node3": this lesson\'s sandbox has node1, node2' },
    ]);
    expect(checkTargets(r.challenge, ['node1', 'node3'], 'c.yaml')).toEqual([]);
  });
});

describe('generated JSON Schema', () => {
  it('is committed and up to date (regenerate: node course/challenge/challenge-json-schema.ts)', async () => {
    expect(await readFile(CHALLENGE_SCHEMA_FILE, 'utf8')).toBe(challengeJsonSchemaText());
  });

  it('describes the authoring format: string timeouts, strict objects, documented fields', () => {
    const schema = JSON.parse(challengeJsonSchemaText());
    const taskProps = schema.properties.tasks.items;
    expect(taskProps.additionalProperties).toBe(false);
    expect(taskProps.required).toEqual(expect.arrayContaining(['id', 'title', 'description', 'target', 'check', 'solution']));
    expect(taskProps.required).not.toContain('timeout');
    expect(taskProps.properties.check.description).toContain('FAIL:');
    expect(JSON.stringify(taskProps.properties.timeout)).toContain('(ms|s|m)');
  });
});
