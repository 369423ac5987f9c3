// A GradingSession has no grading state until it has read the learner's passes in this lab from the progress store:
// every first caller shares that one read, and passes of tasks the challenge no longer has are dropped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { systemClock } from '../../../lab-runner/grader/grading-loop.ts';
import { GradingSession } from '../../../lab-runner/grader/grading-session.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';

const key = { labId: 'lab-restore-01', lesson: 'pods/restore', learnerId: 'learner-restore-01' };
const yaml = `
tasks:
  - id: first
    title: First
    description: First.
    target: node1
    check: "true"
    solution: { text: "nothing", script: "true" }
  - id: second
    title: Second
    description: Second.
    target: node1
    needs: [first]
    check: "false"
    solution: { text: "nothing", script: "true" }
`;

describe('GradingSession restore', () => {
  it('reads the store once for concurrent first callers and keeps only tasks the challenge still has', async () => {
    const parsed = parseChallenge(yaml, 'challenge.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-grading-session-'));
    const db = openProgressDb(dir);
    const progress = new SqliteProgressStore(db);
    await progress.recordTaskPassed({ ...key, taskId: 'first', at: 1_000 });
    await progress.recordTaskPassed({ ...key, taskId: 'dropped-since', at: 2_000 });
    let reads = 0;
    const counting = Object.assign(Object.create(progress) as SqliteProgressStore, {
      passedInLab: (...args: Parameters<SqliteProgressStore['passedInLab']>) => {
        reads++;
        return progress.passedInLab(...args);
      },
    });
    const session = new GradingSession({
      ...key,
      challenge: parsed.challenge,
      exec: () => Promise.reject(new Error('no checks run in this test')),
      progress: counting,
      intervalMs: 60_000,
      clock: systemClock,
      ready: Promise.resolve(),
    });
    try {
      const [a, b] = await Promise.all([session.state(), session.state()]);
      expect(reads).toBe(1);
      expect(a).toBe(b);
      expect(a.tasks.map((t) => [t.id, t.status, t.passedAt])).toEqual([
        ['first', 'passed', 1_000],
        ['second', 'pending', undefined],
      ]);
      await session.state();
      expect(reads).toBe(1);
    } finally {
      await session.close();
      db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
