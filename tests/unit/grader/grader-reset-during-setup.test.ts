// A lab reset while its lesson setup is still running: the fresh lab gets its own setup, and the old run neither
// plants the rest of its faults on the fresh nodes nor marks the new run finished.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { LocalLab } from '../../fixtures/grader/local-lab.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';

const LEARNER = 'learner-grader-test-02';
const LESSON = 'pods/slow-setup';

// Step 1 waits for a file named "go" (the test holds it there); step 2 plants the second fault.
const yaml = `
setup:
  - target: node1
    script: |
      echo step1 >> setup-runs
      while [ ! -e go ]; do sleep 0.02; done
  - target: node1
    script: |
      echo step2 >> setup-runs
tasks:
  - id: t
    title: A task
    description: Anything.
    target: node1
    check: test -e done
    solution: { text: "touch done", script: "touch done" }
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a reset during a running setup', () => {
  it('ends the old run between steps and leaves the record to the new run', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-grader-reset-'));
    const db = openProgressDb(dir);
    const progress = new SqliteProgressStore(db);
    const lab = new LocalLab({ learnerId: LEARNER, template: 'nodes-1' });
    const parsed = parseChallenge(yaml, 'challenge.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const lesson: LessonChallenge = {
      lesson: LESSON,
      title: 'Slow',
      href: '/learn/pods/slow-setup',
      sandbox: 'nodes-1',
      challengeFile: 'challenge.yaml',
      challenge: parsed.challenge,
    };
    const grader = new Grader({
      labs: lab.manager(),
      progress,
      lessons: { get: async (l) => (l === LESSON ? lesson : undefined), list: async () => [lesson] },
      intervalMs: 50,
    });
    cleanups.push(async () => {
      await grader.close();
      db.close();
    });
    const node1 = lab.dir('node1');
    const runs = () => (existsSync(path.join(node1, 'setup-runs')) ? readFileSync(path.join(node1, 'setup-runs'), 'utf8').trim().split('\n') : []);

    const first = grader.prepareLab(lab.id, LESSON);
    await vi.waitFor(() => expect(runs()).toEqual(['step1']), { timeout: 10_000 });
    await grader.labReset(lab.id);
    const second = grader.prepareLab(lab.id, LESSON);
    await vi.waitFor(() => expect(runs()).toEqual(['step1', 'step1']), { timeout: 10_000 });
    const newRecord = await progress.getSetup(lab.id);
    writeFileSync(path.join(node1, 'go'), ''); // both runs' first step ends now

    expect(await second).toEqual({ status: 'done', lesson: LESSON });
    const old = await first;
    expect(old.status).toBe('failed');
    // The old run stopped before its second step: step 2 ran once, for the new run.
    expect(runs()).toEqual(['step1', 'step1', 'step2']);
    const record = await progress.getSetup(lab.id);
    expect(record).toMatchObject({ lesson: LESSON, startedAt: newRecord!.startedAt });
    expect(record!.finishedAt).toBeGreaterThan(0);
    expect(record!.error).toBeUndefined();
    expect(await grader.preparedLesson(lab.id)).toBe(LESSON);
  });
});
