import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentLessonChallenges } from '../../../course/challenge/lesson-challenges.ts';

describe('contentLessonChallenges', () => {
  it('maps lesson ids to their sandbox and parsed challenge, from the content index', async () => {
    const source = contentLessonChallenges(path.resolve('content'));
    const lesson = await source.get('pods/pods-and-network-namespaces');
    expect(lesson).toMatchObject({ lesson: 'pods/pods-and-network-namespaces', sandbox: 'nodes-2', href: '/learn/pods/pods-and-network-namespaces' });
    expect(lesson!.challenge.tasks.length).toBeGreaterThanOrEqual(4);
    expect(await source.get('pods/nope')).toBeUndefined();
    expect((await source.list()).map((l) => l.lesson)).toContain('pods/pods-and-network-namespaces');
  });

  it('re-reads an edited challenge, and skips an invalid one only when asked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pw-content-'));
    cpSync(path.resolve('content/01-pods'), path.join(dir, '01-pods'), { recursive: true });
    const file = path.join(dir, '01-pods/01-pods-and-network-namespaces/challenge.yaml');
    const source = contentLessonChallenges(dir, { indexTtlMs: 0 });
    expect((await source.get('pods/pods-and-network-namespaces'))!.challenge.tasks.length).toBeGreaterThan(1);
    writeFileSync(file, 'tasks:\n  - id: only\n    title: t\n    description: d\n    target: node1\n    check: "true"\n    solution: {text: t, script: s}\n');
    const later = new Date(Date.now() + 5_000);
    (await import('node:fs')).utimesSync(file, later, later);
    expect((await source.get('pods/pods-and-network-namespaces'))!.challenge.tasks.map((t) => t.id)).toEqual(['only']);
    writeFileSync(file, 'tasks: nope');
    const later2 = new Date(Date.now() + 10_000);
    (await import('node:fs')).utimesSync(file, later2, later2);
    await expect(source.list()).rejects.toThrow(/challenge\.yaml:1/);
    expect((await source.list({ skipInvalid: true })).map((l) => l.lesson)).not.toContain('pods/pods-and-network-namespaces');
  });
});
