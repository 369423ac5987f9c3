// The exam service's clock: time running out grades an attempt once (by the timer, also after a restart), a late
// submit gets the stored result, flags only while it runs, someone else's attempt is "not found". Labs are fakes
// here (the real-lab path is tests/integration/practice/exam-attempt.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { ExamService } from '../../../lab-runner/practice/exam-service.ts';
import { examSchema } from '../../../course/exam/exam-schema.ts';
import { ExamStore } from '../../../lab-runner/practice/exam-store.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-exam-unit-'));
  dirs.push(dir);
  const db = openDatabase(dir);
  const parsed = parseChallenge(
    `tasks:\n${['a', 'b'].map((id) => `  - {id: ${id}, title: ${id}, description: d, target: node1, check: 'check ${id}', solution: {text: t, script: 'solve ${id}'}}`).join('\n')}`,
    'c.yaml',
  );
  if (!parsed.ok) throw new Error('fixture');
  const lesson: LessonChallenge = { lesson: 'm/l', title: 'L', href: '/learn/m/l', sandbox: 'nodes-1', challengeFile: 'c.yaml', challenge: parsed.challenge };
  const exam = examSchema.parse({
    title: 'E',
    minutes: 1,
    pools: [
      {
        title: 'p',
        count: 2,
        tasks: [
          { lesson: 'm/l', task: 'a' },
          { lesson: 'm/l', task: 'b' },
        ],
      },
    ],
  });
  let now = 1_000_000;
  const labsMade: string[] = [];
  const destroyed: string[] = [];
  const checks: string[] = [];
  const touched: string[] = [];
  const fixed = new Set<string>();
  const lab = (id: string): ReadyLab => ({
    id,
    learnerId: 'x',
    template: 'nodes-1',
    state: 'ready',
    createdAt: new Date(0),
    expiresAt: new Date(9e12),
    lastActiveAt: new Date(0),
    networkId: 'n',
    targets: [{ name: 'node1', kind: 'node', title: 'node1', containerId: 'c', containerName: 'c' }],
    readyAt: new Date(0),
  });
  const service = new ExamService({
    labs: {
      create: async () => {
        const id = `lab-${labsMade.length}`;
        labsMade.push(id);
        return lab(id);
      },
      destroy: async (id) => void destroyed.push(id),
      get: async (id) => lab(id),
      touch: async (id) => void touched.push(id),
      exec: async (labId, _t, o) => {
        const script = String(o.stdin ?? '');
        const m = /\ncheck (\w)\n/.exec(script);
        if (m) checks.push(`${labId}:${m[1]}`);
        const ok = !m || fixed.has(`${labId}:${m[1]}`);
        return { exitCode: ok ? 0 : 1, stdout: ok ? '' : 'FAIL: not fixed\n', stderr: '', timedOut: false, truncated: false, durationMs: 1 };
      },
    },
    grader: { prepareLab: async (_l, lessonId) => ({ status: 'done', lesson: lessonId }) },
    seeds: { set: async () => {} },
    lessons: { get: async (id) => (id === 'm/l' ? lesson : undefined), list: async () => [lesson] },
    exams: () => [{ slug: 'e', file: 'exam.yaml', exam }],
    store: new ExamStore(db),
    terminals: { path: '/api/terminal', issueTicket: () => ({ ticket: 't', expiresAt: 0 }) },
    clock: () => now,
  });
  return { service, db, labsMade, destroyed, checks, fixed, touched, advance: (ms: number) => (now += ms), dir };
}

const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('ExamService', () => {
  it('the timer grades a running attempt once when its time is up, also in a new process (resumeTimers)', async () => {
    const s = setup();
    const started = await s.service.start({ learnerId: 'me', exam: 'e' });
    expect(started).toMatchObject({ state: 'running', total: 2, endsAt: started.startedAt + 60_000 });
    s.fixed.add(`${started.tasks[0]!.labId}:${new ExamStore(s.db).get(started.id)!.tasks[0]!.task}`);
    s.service.close(); // the server stops; the attempt stays in the store
    s.advance(61_000);
    // What a new process does at start (createPractice): resume the timers; an overdue attempt is graded at once.
    s.service.resumeTimers();
    await waitFor(() => new ExamStore(s.db).get(started.id)?.state === 'graded');
    const graded = new ExamStore(s.db).get(started.id)!;
    expect(graded).toMatchObject({ state: 'graded', endedBy: 'timeout', score: 1, total: 2 });
    expect(s.checks).toHaveLength(2); // each task checked exactly once
    expect(s.destroyed.sort()).toEqual([...s.labsMade].sort());
    // A submit after the end answers with the stored grade, without checking again.
    expect(await s.service.submit(started.id, 'me')).toMatchObject({ state: 'graded', score: 1, endedBy: 'timeout' });
    expect(s.checks).toHaveLength(2);
  });

  it('viewing an attempt past its time grades it; submit and the view share one grading', async () => {
    const s = setup();
    const started = await s.service.start({ learnerId: 'me', exam: 'e' });
    s.service.close();
    s.advance(60_000);
    const [a, b] = await Promise.all([s.service.view(started.id, 'me'), s.service.submit(started.id, 'me')]);
    expect(a.state).toBe('graded');
    expect(b.state).toBe('graded');
    expect(s.checks).toHaveLength(2);
    expect(a.tasks.every((t) => t.verdict?.passed === false && t.solutionHtml && t.lesson?.href === '/learn/m/l')).toBe(true);
  });

  it('flags only while running; another learner gets "not found"', async () => {
    const s = setup();
    const started = await s.service.start({ learnerId: 'me', exam: 'e' });
    expect((await s.service.flag(started.id, 'me', 1, true)).tasks.map((t) => t.flagged)).toEqual([false, true]);
    await expect(s.service.start({ learnerId: 'me', exam: 'e' })).rejects.toThrow(/attempt running/);
    // The open page keeps every task's lab active (at most once a minute), so none is idle-destroyed before grading.
    await s.service.view(started.id, 'me');
    await s.service.view(started.id, 'me');
    expect(s.touched.sort()).toEqual([...s.labsMade].sort());
    await expect(s.service.view(started.id, 'you')).rejects.toThrow(/No exam attempt/);
    await expect(s.service.flag(started.id, 'me', 5, true)).rejects.toThrow(/no task 6/);
    await s.service.submit(started.id, 'me');
    await expect(s.service.flag(started.id, 'me', 0, true)).rejects.toThrow(/graded/);
    s.service.close();
  });
});
