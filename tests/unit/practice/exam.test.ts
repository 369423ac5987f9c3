// Exams as data: the schema, reference checks, the seeded draw, scoring.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import type { Verdict } from '../../../lab-runner/grader/verdict.ts';
import { drawExam, seededRandom } from '../../../lab-runner/practice/exam-draw.ts';
import { checkExamReferences, loadExams } from '../../../course/exam/exam-loader.ts';
import { examSchema, type Exam } from '../../../course/exam/exam-schema.ts';
import { gradeTask, scoreAttempt } from '../../../lab-runner/practice/exam-scoring.ts';
import { EXAM_SCHEMA_FILE, examJsonSchemaText } from '../../../course/exam/exam-json-schema.ts';

const exam: Exam = examSchema.parse({
  title: 'T',
  minutes: 30,
  pools: [
    { title: 'a', count: 2, tasks: ['a1', 'a2', 'a3', 'a4', 'a5'].map((task) => ({ lesson: 'm/l', task })) },
    { title: 'b', count: 1, tasks: ['b1', 'b2'].map((task) => ({ lesson: 'm/k', task })) },
  ],
});

describe('exam schema', () => {
  it('refuses unknown fields, a count larger than its pool, and a task listed twice', () => {
    expect(examSchema.safeParse({ ...exam, minuts: 3 }).success).toBe(false);
    const big = examSchema.safeParse({ title: 'T', minutes: 5, pools: [{ title: 'p', count: 3, tasks: [{ lesson: 'm/l', task: 'a' }] }] });
    expect(big.success).toBe(false);
    expect(JSON.stringify(big.error?.issues)).toContain('draws 3 tasks from a pool of 1');
    const twice = examSchema.safeParse({
      title: 'T',
      minutes: 5,
      pools: [
        { title: 'p', count: 1, tasks: [{ lesson: 'm/l', task: 'a' }] },
        { title: 'q', count: 1, tasks: [{ lesson: 'm/l', task: 'a' }] },
      ],
    });
    expect(JSON.stringify(twice.error?.issues)).toContain('listed twice');
  });
});

describe('exam.schema.json', () => {
  it('is committed and up to date (regenerate: node course/exam/exam-json-schema.ts)', () => {
    expect(fs.readFileSync(EXAM_SCHEMA_FILE, 'utf8')).toBe(examJsonSchemaText());
  });
});

describe('drawExam', () => {
  it('is deterministic per seed: the same seed draws the same tasks and task seeds', () => {
    expect(drawExam(exam, 'seed-1')).toEqual(drawExam(exam, 'seed-1'));
  });
  it('draws count tasks per pool, distinct, in pool order', () => {
    for (const seed of ['s1', 's2', 's3', 's4']) {
      const d = drawExam(exam, seed);
      expect(d.map((t) => t.pool)).toEqual([0, 0, 1]);
      expect(new Set(d.map((t) => t.task)).size).toBe(3);
      expect(new Set(d.map((t) => t.seed)).size).toBe(3);
    }
  });
  it('differs across seeds: over 200 attempts every task of a pool is drawn, roughly evenly', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 200; i++) for (const t of drawExam(exam, `attempt-${i}`)) counts.set(t.task, (counts.get(t.task) ?? 0) + 1);
    for (const t of ['a1', 'a2', 'a3', 'a4', 'a5']) expect(counts.get(t)).toBeGreaterThan(50); // expected 80 each
    for (const t of ['b1', 'b2']) expect(counts.get(t)).toBeGreaterThan(70); // expected 100 each
  });
  it('seededRandom stays in [0, 1)', () => {
    const r = seededRandom('x');
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});

const verdict = (outcome: Verdict['outcome'], summary = ''): Verdict => ({ outcome, summary, failLines: [], truncated: false, durationMs: 1 });

describe('scoring', () => {
  it('a task passes when its check passes and every invariant holds', () => {
    expect(gradeTask(verdict('passed'), [{ title: 'i', verdict: verdict('passed') }])).toEqual({ passed: true });
    expect(gradeTask(verdict('failed', 'no route'), [])).toMatchObject({ passed: false, verdict: { summary: 'no route' } });
    expect(gradeTask(verdict('passed'), [{ title: 'the sidecar still runs', verdict: verdict('failed', 'gone') }])).toMatchObject({
      passed: false,
      brokenInvariant: 'the sidecar still runs',
    });
    // A check that could not run is not a pass: exams grade once.
    expect(gradeTask(verdict('error'), []).passed).toBe(false);
  });
  it('the score counts passed tasks', () => {
    expect(scoreAttempt([{ passed: true }, { passed: false }, { passed: true }])).toEqual({ score: 2, total: 3 });
  });
});

describe('loadExams and references', () => {
  it('reads valid exams, reports invalid ones and unknown lessons or tasks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-exams-'));
    const write = (slug: string, text: string) => {
      fs.mkdirSync(path.join(dir, 'exams', slug), { recursive: true });
      fs.writeFileSync(path.join(dir, 'exams', slug, 'exam.yaml'), text);
    };
    write(
      'good',
      'title: G\nminutes: 5\npools:\n  - title: p\n    count: 1\n    tasks:\n      - { lesson: m/l, task: a }\n      - { lesson: m/l, task: nope }\n      - { lesson: m/gone, task: a }\n',
    );
    write('bad', 'title: B\nminutes: 0\npools: []\n');
    const { exams, issues } = loadExams(dir);
    expect(exams.map((e) => e.slug)).toEqual(['good']);
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining(['minutes', 'pools']));
    const parsed = parseChallenge(`tasks:\n  - {id: a, title: a, description: d, target: node1, check: 'true', solution: {text: t, script: 'true'}}`, 'c.yaml');
    if (!parsed.ok) throw new Error('fixture');
    const lesson: LessonChallenge = { lesson: 'm/l', title: 'L', href: '/learn/m/l', sandbox: 'nodes-1', challengeFile: 'c.yaml', challenge: parsed.challenge };
    const refs = await checkExamReferences(exams[0]!, { get: async (id) => (id === 'm/l' ? lesson : undefined), list: async () => [lesson] });
    expect(refs.map((r) => [r.field, r.message])).toEqual([
      ['pools.0.tasks.1.task', 'lesson m/l has no task "nope" (tasks: a)'],
      ['pools.0.tasks.2.lesson', 'no lesson "m/gone" with a challenge'],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
