// Two lessons of the same sandbox share the learner's lab (labs are per learner and sandbox). A lab prepared for one
// lesson must not be silently prepared again, or graded, for the other: the second lesson's setup does not run on top,
// its view says 'other-lesson' and names the first lesson, its tasks are not checked, until the lab is reset.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { ChallengeView } from '../../../lab-runner/wire/challenge.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { LocalLab } from '../../fixtures/grader/local-lab.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';

const LEARNER = 'learner-other-lesson-01';
const A = 'pods/lesson-a';
const B = 'between-nodes/lesson-b';
/** A lesson whose setup takes a while, to see what other lessons' pages are told meanwhile. */
const SLOW = 'pods/lesson-slow';

/** Each lesson's setup leaves a marker (and B plants a fault); each has one task passing on a file of its own. */
function lessonFixture(lesson: string, title: string, marker: string): LessonChallenge {
  const yaml = `
setup:
  - target: node1
    script: |
      echo x >> ${marker}-setup-runs
      ${marker === 'b' ? 'echo broken > route.conf' : marker === 'slow' ? 'sleep 0.4' : 'true'}
tasks:
  - id: task-${marker}
    title: Task ${marker}
    description: Create done-${marker}.
    target: node1
    check: |
      [ -e done-${marker} ] || fail "there is no file done-${marker}"
    solution: { text: "touch done-${marker}", script: "touch done-${marker}" }
`;
  const r = parseChallenge(yaml, 'challenge.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { lesson, title, href: `/learn/${lesson}`, sandbox: 'nodes-1', challengeFile: 'challenge.yaml', challenge: r.challenge };
}

const lessons = new Map([
  [A, lessonFixture(A, 'Pods and network namespaces', 'a')],
  [B, lessonFixture(B, 'Pods on two nodes', 'b')],
  [SLOW, lessonFixture(SLOW, 'Slow to prepare', 'slow')],
]);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { dir?: string; lab?: LocalLab } = {}) {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'pw-grader-other-')));
  const db = openProgressDb(dir);
  const progress = new SqliteProgressStore(db);
  const lab = opts.lab ?? new LocalLab({ learnerId: LEARNER, template: 'nodes-1' });
  const grader = new Grader({
    labs: lab.manager(),
    progress,
    lessons: { get: async (l) => lessons.get(l), list: async () => [...lessons.values()] },
    intervalMs: 30,
  });
  cleanups.push(async () => {
    await grader.close();
    db.close();
  });
  const key = (lesson: string) => ({ labId: lab.id, lesson, learnerId: LEARNER });
  const node1 = lab.dir('node1');
  const runs = (marker: string) => {
    const f = path.join(node1, `${marker}-setup-runs`);
    return existsSync(f) ? readFileSync(f, 'utf8').length / 2 : 0;
  };
  return { dir, lab, grader, progress, key, node1, runs };
}

describe('Grader: a lab prepared for another lesson', () => {
  it("does not run the second lesson's setup on top, and says which lesson the lab is set up for", async () => {
    const { grader, key, lab, runs } = await setup();
    expect(await grader.preparedLesson(lab.id)).toBeUndefined();
    expect(await grader.prepareLab(lab.id, A)).toEqual({ status: 'done', lesson: A });
    expect(await grader.prepareLab(lab.id, B)).toEqual({ status: 'other-lesson', lesson: A });
    expect(runs('a')).toBe(1);
    expect(runs('b')).toBe(0);
    expect(await grader.preparedLesson(lab.id)).toBe(A);

    const vb = await grader.view(key(B));
    expect(vb.setup).toBe('other-lesson');
    expect(vb.setupLesson).toEqual({ lesson: A, title: 'Pods and network namespaces', href: `/learn/${A}` });
    expect(vb.tasks.map((t) => [t.id, t.status])).toEqual([['task-b', 'pending']]);
    // The lesson it was set up for still sees its own, normal view.
    const va = await grader.view(key(A));
    expect(va.setup).toBe('done');
    expect(va.setupLesson).toBeUndefined();
    expect(runs('b')).toBe(0); // opening B's view did not start B's setup either
  });

  it("never checks the other lesson's tasks on that lab: Check and the background loop stay off", async () => {
    const { grader, key, lab, node1 } = await setup();
    await grader.prepareLab(lab.id, A);
    writeFileSync(path.join(node1, 'done-b'), ''); // B's task would pass if it were checked
    const before = lab.execCount;
    const checked = await grader.checkNow(key(B));
    expect(checked.setup).toBe('other-lesson');
    expect(checked.tasks[0]!.status).not.toBe('passed');
    expect(checked.lastCheckedAt).toBeUndefined();
    const views: ChallengeView[] = [];
    const stop = await grader.watch(key(B), (v) => views.push(v));
    cleanups.push(stop);
    await new Promise((r) => setTimeout(r, 250)); // several 30 ms intervals
    expect(lab.execCount).toBe(before);
    expect(views.every((v) => v.setup === 'other-lesson' && v.progress.passed === 0)).toBe(true);
    // A, the lesson the lab is set up for, is graded as usual on the same lab.
    writeFileSync(path.join(node1, 'done-a'), '');
    expect((await grader.checkNow(key(A))).tasks[0]!.status).toBe('passed');
  });

  it('lets only the first of two concurrent lessons prepare the lab', async () => {
    const { grader, lab, runs } = await setup();
    const [a, b] = await Promise.all([grader.prepareLab(lab.id, A), grader.prepareLab(lab.id, B)]);
    expect(a).toEqual({ status: 'done', lesson: A });
    expect(b).toEqual({ status: 'other-lesson', lesson: A });
    expect([runs('a'), runs('b')]).toEqual([1, 0]);
  });

  it("tells a page of the other lesson while the first lesson's setup is still running", async () => {
    const { grader, key, lab, runs } = await setup();
    let settled = false;
    const preparing = grader.prepareLab(lab.id, SLOW).then((o) => ((settled = true), o));
    const seen: { setup: string; settled: boolean }[] = [];
    const stop = await grader.watch(key(B), (v) => seen.push({ setup: v.setup, settled }));
    cleanups.push(stop);
    expect(await preparing).toEqual({ status: 'done', lesson: SLOW });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.some((s) => s.setup === 'other-lesson' && !s.settled)).toBe(true);
    expect(seen.at(-1)!.setup).toBe('other-lesson');
    expect([runs('slow'), runs('b')]).toEqual([1, 0]);
  });

  it('is not claimed by a lesson whose setup never started (its challenge did not load)', async () => {
    const { grader, lab, runs } = await setup();
    expect(await grader.prepareLab(lab.id, 'pods/not-loadable')).toMatchObject({ status: 'failed' });
    expect(await grader.preparedLesson(lab.id)).toBeUndefined();
    expect(await grader.prepareLab(lab.id, A)).toEqual({ status: 'done', lesson: A });
    expect(runs('a')).toBe(1);
    expect(await grader.preparedLesson(lab.id)).toBe(A);
  });

  it('remembers the lesson across a restart (from the store)', async () => {
    const first = await setup();
    await first.grader.prepareLab(first.lab.id, A);
    const second = await setup({ dir: first.dir, lab: first.lab });
    expect(await second.grader.preparedLesson(first.lab.id)).toBe(A);
    expect(await second.grader.prepareLab(first.lab.id, B)).toEqual({ status: 'other-lesson', lesson: A });
    expect((await second.grader.view(second.key(B))).setup).toBe('other-lesson');
    expect(second.runs('b')).toBe(0);
  });

  it('is prepared for the second lesson once the lab is reset: the old lesson record is gone, its setup runs', async () => {
    const { grader, key, lab, node1, runs, progress } = await setup();
    await grader.prepareLab(lab.id, A);
    let ended = 0;
    const stop = await grader.watch(
      key(B),
      () => {},
      () => ended++,
    );
    cleanups.push(stop);
    // The lab runner replaced the nodes: a fresh, empty lab under the same id.
    rmSync(node1, { recursive: true });
    lab.dir('node1');
    await grader.labReset(lab.id);
    expect(ended).toBe(1); // B's page reconnects
    expect(await progress.getSetup(lab.id)).toBeUndefined();
    expect(await grader.preparedLesson(lab.id)).toBeUndefined();

    expect(await grader.prepareLab(lab.id, B)).toEqual({ status: 'done', lesson: B });
    expect([runs('a'), runs('b')]).toEqual([0, 1]);
    expect(readFileSync(path.join(node1, 'route.conf'), 'utf8')).toBe('broken\n');
    expect(await grader.preparedLesson(lab.id)).toBe(B);
    writeFileSync(path.join(node1, 'done-b'), '');
    const vb = await grader.checkNow(key(B));
    expect(vb.setup).toBe('done');
    expect(vb.tasks[0]!.status).toBe('passed');
    // Now A is the one told to reset.
    expect((await grader.view(key(A))).setupLesson?.lesson).toBe(B);
  });
});
