import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';
import type { DatabaseSync } from 'node:sqlite';

const L = 'learner-aaaaaaaaaaaaaaaa';
const lesson = 'pods/pods-and-network-namespaces';
const opened: DatabaseSync[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.isOpen) db.close();
});

async function freshStore() {
  const dir = await mkdtemp(path.join(tmpdir(), 'pw-progress-'));
  const db = openProgressDb(dir);
  opened.push(db);
  return { dir, db, store: new SqliteProgressStore(db) };
}

function reopen(dir: string) {
  const db = openProgressDb(dir);
  opened.push(db);
  return { db, store: new SqliteProgressStore(db) };
}

describe('SqliteProgressStore', () => {
  it('records passes per lab, keeps the first pass time, and restores them', async () => {
    const { store } = await freshStore();
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: 100 });
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: 200 });
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'b', at: 300 });
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab2', taskId: 'a', at: 400 });
    expect(await store.passedInLab(L, lesson, 'lab1')).toEqual(
      new Map([
        ['a', 100],
        ['b', 300],
      ]),
    );
    expect(await store.passedInLab(L, lesson, 'lab2')).toEqual(new Map([['a', 400]]));
    expect(await store.passedInLab(L, 'other/lesson', 'lab1')).toEqual(new Map());
    expect(await store.passedInLab('someone-else-000000', lesson, 'lab1')).toEqual(new Map());
  });

  it('a regression removes the pass until the task passes again', async () => {
    const { store } = await freshStore();
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: 100 });
    await store.recordTaskRegressed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: 150 });
    expect(await store.passedInLab(L, lesson, 'lab1')).toEqual(new Map());
    expect((await store.lessonProgress(L, lesson)).bestPassed).toBe(0);
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: 180 });
    expect(await store.passedInLab(L, lesson, 'lab1')).toEqual(new Map([['a', 180]]));
  });

  it('reveals hints one at a time, never past the last, and remembers solutions', async () => {
    const { store } = await freshStore();
    const e = { learnerId: L, lesson, taskId: 'a', available: 2 };
    expect(await store.revealNextHint({ ...e, at: 1 })).toBe(1);
    expect(await store.revealNextHint({ ...e, at: 2 })).toBe(2);
    expect(await store.revealNextHint({ ...e, at: 3 })).toBe(2);
    await store.recordSolutionRevealed({ learnerId: L, lesson, taskId: 'a', at: 5 });
    await store.recordSolutionRevealed({ learnerId: L, lesson, taskId: 'a', at: 9 });
    expect((await store.lessonProgress(L, lesson)).tasks).toEqual([{ taskId: 'a', hintsRevealed: 2, solutionRevealedAt: 5 }]);
  });

  it('summarises lessons: best attempt, completion, untouched lessons', async () => {
    const { store } = await freshStore();
    for (const [lab, task, at] of [
      ['lab1', 'a', 1],
      ['lab1', 'b', 2],
      ['lab2', 'a', 3],
      ['lab2', 'b', 4],
      ['lab2', 'c', 5],
    ] as const)
      await store.recordTaskPassed({ learnerId: L, lesson, labId: lab, taskId: task, at });
    await store.recordLessonCompleted({ learnerId: L, lesson, labId: 'lab2', at: 6 });
    await store.recordLessonCompleted({ learnerId: L, lesson, labId: 'lab3', at: 99 });
    await store.recordTaskPassed({ learnerId: L, lesson: 'other/one', labId: 'lab9', taskId: 'x', at: 7 });
    const all = await store.allLessonProgress(L);
    expect(all.map((l) => [l.lesson, l.bestPassed, l.completedAt])).toEqual([
      ['other/one', 1, undefined],
      [lesson, 3, 6],
    ]);
    expect((await store.lessonProgress(L, lesson)).tasks.map((t) => [t.taskId, t.passedAt])).toEqual([
      ['a', 3],
      ['b', 4],
      ['c', 5],
    ]);
    expect(await store.lessonProgress(L, 'never/seen')).toEqual({ lesson: 'never/seen', tasks: [], bestPassed: 0 });
  });

  it('exports a learner as JSON with ISO times', async () => {
    const { store } = await freshStore();
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: Date.UTC(2026, 0, 1) });
    await store.revealNextHint({ learnerId: L, lesson, taskId: 'a', available: 3, at: Date.UTC(2026, 0, 2) });
    const out = await store.exportLearner(L);
    expect(out).toEqual({
      format: 'packetwalk-progress/1',
      learnerId: L,
      createdAt: '2026-01-01T00:00:00.000Z',
      lastSeenAt: '2026-01-02T00:00:00.000Z',
      lessons: [
        {
          lesson,
          tasks: [{ taskId: 'a', labId: 'lab1', passedAt: '2026-01-01T00:00:00.000Z' }],
          hints: [{ taskId: 'a', index: 0, revealedAt: '2026-01-02T00:00:00.000Z' }],
          solutions: [],
        },
      ],
    });
    expect(await store.exportLearner('nobody-0000000000000')).toBeUndefined();
  });

  it('tracks setup runs per lab', async () => {
    const { store } = await freshStore();
    expect(await store.getSetup('lab1')).toBeUndefined();
    await store.setupStarted({ labId: 'lab1', lesson, at: 10 });
    expect(await store.getSetup('lab1')).toEqual({ labId: 'lab1', lesson, startedAt: 10 });
    await store.setupFinished({ labId: 'lab1', startedAt: 10, at: 20, error: 'step 1 exited 2' });
    expect(await store.getSetup('lab1')).toEqual({ labId: 'lab1', lesson, startedAt: 10, finishedAt: 20, error: 'step 1 exited 2' });
  });

  it('records the end of a setup run only on that run: a run started after a reset is left alone', async () => {
    const { store } = await freshStore();
    await store.setupStarted({ labId: 'lab1', lesson, at: 10 });
    await store.archiveLab('lab1', 15); // reset
    await store.setupStarted({ labId: 'lab1', lesson, at: 30 });
    await store.setupFinished({ labId: 'lab1', startedAt: 10, at: 40, error: 'the old run failed' });
    expect(await store.getSetup('lab1')).toEqual({ labId: 'lab1', lesson, startedAt: 30 });
  });

  it('survives a restart: progress is on disk', async () => {
    const { dir, db, store } = await freshStore();
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: 100 });
    db.close();
    const { store: again } = reopen(dir);
    expect(await again.passedInLab(L, lesson, 'lab1')).toEqual(new Map([['a', 100]]));
  });
});

describe('crash safety (a writer process killed with SIGKILL)', () => {
  const writer = path.resolve(import.meta.dirname, '../../fixtures/grader/progress-writer.ts');
  function runWriter(dir: string, mode: 'stream' | 'hold', killWhen: (line: string) => boolean): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [writer, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      let buf = '';
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        for (const l of parts) {
          lines.push(l);
          if (killWhen(l)) child.kill('SIGKILL');
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`writer exited ${code}: ${stderr}`))));
    });
  }

  it('an open transaction is rolled back and the database stays usable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-crash-'));
    await runWriter(dir, 'hold', (l) => l === 'mid');
    const { db, store } = reopen(dir);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    const passed = await store.passedInLab('learner-crash-test-0001', 'l/x', 'lab1');
    expect([...passed.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'after', at: 1 }); // no stale lock
    expect((await store.passedInLab(L, lesson, 'lab1')).has('after')).toBe(true);
  });

  it('a writer killed mid-stream loses nothing it reported as committed and leaves no partial write', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-crash-'));
    const lines = await runWriter(dir, 'stream', (l) => Number(l) >= 150);
    // Only the writer's commit counters count: other stdout lines (logs) are not commits.
    const commits = lines.filter((l) => /^\d+$/.test(l)).map(Number);
    expect(commits.length).toBeGreaterThanOrEqual(150);
    const reported = Math.max(...commits);
    const { db, store } = reopen(dir);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    const passed = await store.passedInLab('learner-crash-test-0001', 'l/x', 'lab1');
    // Every reported commit is there, and what is there is a gap-free prefix (each write is all-or-nothing, in order).
    expect(passed.size).toBeGreaterThanOrEqual(reported + 1);
    const indexes = [...passed.keys()].map((k) => Number(k.slice(1))).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => i));
    expect(db.prepare(`SELECT COUNT(*) AS n FROM learners`).get()).toEqual({ n: 1 });
  });
});

describe('npm run progress:export', () => {
  it('prints a learner as JSON and fails clearly for an unknown one', async () => {
    const { execFileSync, spawnSync } = await import('node:child_process');
    const { dir, db, store } = await freshStore();
    await store.recordTaskPassed({ learnerId: L, lesson, labId: 'lab1', taskId: 'a', at: Date.UTC(2026, 0, 1) });
    db.close();
    const cli = path.resolve(import.meta.dirname, '../../../lab-runner/cli/progress-export.ts');
    const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn' };
    const out = JSON.parse(execFileSync(process.execPath, [cli, L], { env }).toString());
    expect(out).toMatchObject({
      format: 'packetwalk-progress/1',
      learnerId: L,
      lessons: [{ lesson, tasks: [{ taskId: 'a', passedAt: '2026-01-01T00:00:00.000Z' }] }],
    });
    const missing = spawnSync(process.execPath, [cli, 'nobody-00000000000000'], { env });
    expect(missing.status).toBe(1);
    expect(missing.stderr.toString()).toContain('No learner "nobody-00000000000000"');
  });
});
