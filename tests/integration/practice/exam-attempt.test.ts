// An exam attempt on real labs (a real lab engine, nodes-1 labs on Docker): three tasks drawn, one lab each, prepared
// as "setup with the task's seed, then the solutions of the tasks before it"; two tasks fixed by exec, then submit:
// score 2/3, with each task's verdict; the labs are removed after grading; a second view does not grade again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { ExamService } from '../../../lab-runner/practice/exam-service.ts';
import { examSchema } from '../../../course/exam/exam-schema.ts';
import { ExamStore } from '../../../lab-runner/practice/exam-store.ts';
import { SetupSeeds } from '../../../lab-runner/practice/setup-seed.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

let t: TestEngine;
let grader: Grader;
let db: ReturnType<typeof openDatabase>;
beforeAll(() => {
  t = makeTestEngine({ LAB_MAX_PER_LEARNER: 1 }, {}, fs.mkdtempSync(path.join(os.tmpdir(), 'pw-exam-')));
  db = openDatabase(t.dataDir);
});
afterAll(async () => {
  await grader?.close();
  await t?.cleanup();
});

const task = (id: string) => `
  - id: ${id}
    title: Fix ${id}
    description: Put the drawn number in /root/${id}.
    target: node1
    check: |
      got=$(cat /root/${id} 2>/dev/null); want=$(cat /etc/drawn)
      [ "$got" = "$want" ] || { printf 'FAIL: /root/${id} is wrong\\n'; verdict "\${got:-nothing}" "$want"; exit 1; }
    solution: {text: "cp /etc/drawn /root/${id}", script: 'cp /etc/drawn /root/${id}'}`;

it('an attempt with two of three tasks fixed scores 2/3', async () => {
  const parsed = parseChallenge(
    `setup:\n  - target: node1\n    script: shuf -i 1-1000000000 -n 1 > /etc/drawn\ntasks:${task('one')}${task('two')}${task('three')}`,
    'exam-lesson.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const lesson: LessonChallenge = {
    lesson: 'practice/exam-lesson',
    title: 'Exam lesson',
    href: '/learn/practice/exam-lesson',
    sandbox: 'nodes-1',
    challengeFile: 'x.yaml',
    challenge: parsed.challenge,
  };
  const lessons = { get: async (id: string) => (id === lesson.lesson ? lesson : undefined), list: async () => [lesson] };
  const seeds = new SetupSeeds(db);
  const labs = t.engine.labs;
  grader = new Grader({ labs, progress: new SqliteProgressStore(db), lessons, intervalMs: 60_000, seeds });
  const exam = examSchema.parse({
    title: 'Test exam',
    minutes: 10,
    pools: [{ title: 'all', count: 3, tasks: ['one', 'two', 'three'].map((id) => ({ lesson: lesson.lesson, task: id })) }],
  });
  const tickets: unknown[] = [];
  const service = new ExamService({
    labs,
    grader,
    seeds,
    lessons,
    exams: () => [{ slug: 'test-exam', file: 'exam.yaml', exam }],
    store: new ExamStore(db),
    terminals: { path: '/api/terminal', issueTicket: (c) => (tickets.push(c), { ticket: 't', expiresAt: 0 }) },
  });
  // LAB_MAX_PER_LEARNER is 1: the three labs belong to the attempt's per-task pseudo-learners, not to the learner.
  const started = await service.start({ learnerId: 'learner-exam-0001', exam: 'test-exam' });
  expect(started.state).toBe('running');
  expect(started.tasks).toHaveLength(3);
  expect(new Set(started.tasks.map((x) => x.labId)).size).toBe(3);
  expect(started.tasks.every((x) => x.verdict === undefined && x.solutionHtml === undefined && x.lesson === undefined)).toBe(true);
  const attempt = new ExamStore(db).get(started.id)!;
  // Each lab is prepared for its task: the solutions of the tasks before it are in place, its own is not.
  for (const [i, x] of attempt.tasks.entries()) {
    const files = (await labs.exec(x.labId, 'node1', { cmd: ['sh', '-c', 'ls /root | grep -vx answers | sort | tr "\\n" " "'] })).stdout.trim();
    const before = ['one', 'two', 'three'].slice(0, ['one', 'two', 'three'].indexOf(x.task)).sort().join(' ');
    expect(files, `lab of task ${i} (${x.task})`).toBe(before);
  }
  // Tickets go to the pseudo-learner that owns the lab, for the learner who owns the attempt only.
  await service.ticket(started.id, 'learner-exam-0001', 0, 'node1');
  expect(tickets[0]).toMatchObject({ learner: attempt.tasks[0]!.labLearner, lab: attempt.tasks[0]!.labId, target: 'node1' });
  await expect(service.ticket(started.id, 'someone-else-0001', 0, 'node1')).rejects.toThrow(/No exam attempt/);

  // The learner fixes tasks 0 and 2 (whatever was drawn there), flags task 1 for review.
  for (const i of [0, 2]) {
    const x = attempt.tasks[i]!;
    await labs.exec(x.labId, 'node1', { cmd: ['sh', '-c', `cp /etc/drawn /root/${x.task}`] });
  }
  expect((await service.flag(started.id, 'learner-exam-0001', 1, true)).tasks[1]!.flagged).toBe(true);
  const graded = await service.submit(started.id, 'learner-exam-0001');
  expect(graded).toMatchObject({ state: 'graded', endedBy: 'submitted', score: 2, total: 3 });
  expect(graded.tasks.map((x) => x.verdict?.passed)).toEqual([true, false, true]);
  expect(graded.tasks[1]!.verdict).toMatchObject({ observed: 'nothing', failLines: [expect.stringContaining('is wrong')] });
  expect(graded.tasks[1]!.verdict!.expected).toMatch(/^\d+$/);
  expect(graded.tasks[1]!.lesson).toEqual({ id: lesson.lesson, title: 'Exam lesson', href: '/learn/practice/exam-lesson' });
  expect(graded.tasks[1]!.solutionHtml).toContain('cp /etc/drawn');
  // Graded once: the labs are gone, and the stored result answers again.
  for (const x of attempt.tasks) expect((await labs.get(x.labId))?.state).toBe('destroyed');
  expect((await service.view(started.id, 'learner-exam-0001')).score).toBe(2);
  expect(service.attempts('learner-exam-0001')).toEqual([expect.objectContaining({ id: started.id, score: 2, total: 3, state: 'graded' })]);
});
