import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const LEARNER = 'learner-grader-test-01';
const LESSON = 'pods/local';

// Targets are directories; "the lab" changes when the test writes files there.
const yaml = `
setup:
  - target: node1
    script: |
      echo x >> setup-runs
      echo broken > service.conf
tasks:
  - id: make-a
    title: Create a
    description: Create **a**.
    target: node1
    check: |
      [ -e a ] || fail "there is no file a"
    hints: ["Look at the file list.", "Use touch.", "touch a"]
    solution: { text: "Run \`touch a\`.", script: "touch a" }
  - id: make-b
    title: Create b after a
    description: Create b.
    target: node1
    needs: [make-a]
    check: |
      n=$(ls | grep -c '^b' || true)
      expect_eq "$n" 1 "files named b*"
    solution: { text: "touch b", script: "touch b" }
  - id: fix-service
    title: Fix the service
    description: Fix it without deleting it.
    target: node1
    needs: [make-a]
    check: |
      [ "$(cat service.conf 2>/dev/null)" != broken ] || fail "service.conf is still broken"
    invariants:
      - id: still-there
        title: service.conf still exists
        check: test -e service.conf
    solution: { text: "echo ok > service.conf", script: "echo ok > service.conf" }
`;

function lessonFixture(): LessonChallenge {
  const r = parseChallenge(yaml, 'challenge.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { lesson: LESSON, title: 'Local', href: '/learn/pods/local', sandbox: 'nodes-1', challengeFile: 'challenge.yaml', challenge: r.challenge };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { dir?: string; lab?: LocalLab } = {}) {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), 'pw-grader-')));
  const db = openProgressDb(dir);
  const progress = new SqliteProgressStore(db);
  const lab = opts.lab ?? new LocalLab({ learnerId: LEARNER, template: 'nodes-1' });
  const lesson = lessonFixture();
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
  const key = { labId: lab.id, lesson: LESSON, learnerId: LEARNER };
  return { dir, lab, grader, key, node1: lab.dir('node1') };
}

const statuses = (v: ChallengeView) => Object.fromEntries(v.tasks.map((t) => [t.id, t.status]));

async function until(views: ChallengeView[], pred: (v: ChallengeView) => boolean, ms = 10_000): Promise<ChallengeView> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const hit = views.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no matching view within ${ms} ms; last: ${JSON.stringify(views.at(-1) && statuses(views.at(-1)!))}`);
}

describe('Grader (local bash lab)', () => {
  it('runs setup once, even when asked twice at once and again after a restart', async () => {
    const a = await setup();
    await Promise.all([a.grader.prepareLab(a.lab.id, LESSON), a.grader.prepareLab(a.lab.id, LESSON)]);
    expect(readFileSync(path.join(a.node1, 'setup-runs'), 'utf8')).toBe('x\n');
    const b = await setup({ dir: a.dir, lab: a.lab });
    await b.grader.prepareLab(a.lab.id, LESSON);
    expect(readFileSync(path.join(a.node1, 'setup-runs'), 'utf8')).toBe('x\n');
    expect((await b.grader.view(b.key)).setup).toBe('done');
  });

  it('grades continuously while watched: tasks turn green in order as the lab changes', async () => {
    const { grader, key, node1 } = await setup();
    const views: ChallengeView[] = [];
    const stop = await grader.watch(key, (v) => views.push(v));
    cleanups.push(stop);
    const first = await until(views, (v) => v.tasks[0]!.status === 'failed');
    expect(statuses(first)).toMatchObject({ 'make-a': 'failed', 'make-b': 'blocked', 'fix-service': 'blocked' });
    expect(first.tasks[0]!.verdict).toMatchObject({ summary: 'there is no file a' });
    expect(first.tasks[1]!.blockedBy).toEqual(['make-a']);

    writeFileSync(path.join(node1, 'a'), '');
    const afterA = await until(views, (v) => v.tasks[0]!.status === 'passed' && v.tasks[1]!.status === 'failed');
    expect(afterA.tasks[1]!.verdict).toMatchObject({ summary: 'expected 1, found 0', structured: { observed: '0', expected: '1' } });
    expect(afterA.progress).toEqual({ passed: 1, total: 3 });

    // Edge-triggered: removing a does not un-pass make-a.
    rmSync(path.join(node1, 'a'));
    writeFileSync(path.join(node1, 'b'), '');
    const afterB = await until(views, (v) => v.tasks[1]!.status === 'passed');
    expect(afterB.tasks[0]!.status).toBe('passed');
    expect(afterB.lastCheckedAt).toBeGreaterThan(0);
  });

  it('checkNow answers at once; fix-by-deletion fails the invariant; a passed task un-passes when it breaks', async () => {
    const { grader, key, node1 } = await setup();
    await grader.prepareLab(key.labId, LESSON);
    writeFileSync(path.join(node1, 'a'), '');
    rmSync(path.join(node1, 'service.conf'));
    let v = await grader.checkNow(key);
    expect(statuses(v)).toMatchObject({ 'make-a': 'passed', 'fix-service': 'failed' });
    expect(v.tasks[2]!.verdict!.summary).toBe('"service.conf still exists" must keep holding');

    writeFileSync(path.join(node1, 'service.conf'), 'ok');
    v = await grader.checkNow(key);
    expect(v.tasks[2]!.status).toBe('passed');

    rmSync(path.join(node1, 'service.conf'));
    v = await grader.checkNow(key);
    expect(v.tasks[2]).toMatchObject({ status: 'failed', verdict: { outcome: 'failed' } });
    expect(v.completedAt).toBeUndefined();
  });

  it('reveals hints one at a time and the solution only when asked; never sends scripts', async () => {
    const { grader, key } = await setup();
    let v = await grader.view(key);
    expect(v.tasks[0]).toMatchObject({ hintsTotal: 3, hintsHtml: [], solutionRevealed: false });
    expect(v.tasks[0]!.solutionHtml).toBeUndefined();
    v = await grader.revealHint(key, 'make-a');
    expect(v.tasks[0]!.hintsHtml).toEqual(['<p>Look at the file list.</p>']);
    for (let i = 0; i < 5; i++) v = await grader.revealHint(key, 'make-a');
    expect(v.tasks[0]!.hintsHtml).toHaveLength(3);
    v = await grader.revealSolution(key, 'make-a');
    expect(v.tasks[0]).toMatchObject({ solutionRevealed: true, solutionHtml: '<p>Run <code>touch a</code>.</p>' });
    const text = JSON.stringify(v);
    expect(text).not.toContain('fail "there is no file a"');
    expect(text).not.toContain('setup-runs');
    expect(text).not.toContain('echo ok > service.conf');
    await expect(grader.revealHint(key, 'nope')).rejects.toMatchObject({ code: 'task-not-found' });
  });

  it("refuses a lab that is not the learner's, with the same answer as for an unknown lab", async () => {
    const { grader, key } = await setup();
    await expect(grader.view({ ...key, learnerId: 'someone-else-0000000' })).rejects.toMatchObject({ code: 'lab-not-found' });
    await expect(grader.view({ ...key, labId: 'nope' })).rejects.toMatchObject({ code: 'lab-not-found' });
    await expect(grader.view({ ...key, lesson: 'x/y' })).rejects.toMatchObject({ code: 'lesson-not-found' });
  });

  it('keeps progress across a restart, and reports it to the catalog', async () => {
    const a = await setup();
    await a.grader.prepareLab(a.key.labId, LESSON);
    for (const f of ['a', 'b']) writeFileSync(path.join(a.node1, f), '');
    writeFileSync(path.join(a.node1, 'service.conf'), 'ok');
    const done = await a.grader.checkNow(a.key);
    expect(done.progress).toEqual({ passed: 3, total: 3 });
    expect(done.completedAt).toBeGreaterThan(0);
    rmSync(path.join(a.node1, 'a'));
    const b = await setup({ dir: a.dir, lab: a.lab });
    const restored = await b.grader.view(b.key);
    expect(statuses(restored)).toEqual({ 'make-a': 'passed', 'make-b': 'passed', 'fix-service': 'passed' });
    expect(await b.grader.catalog(LEARNER)).toEqual([
      { lesson: LESSON, title: 'Local', href: '/learn/pods/local', passed: 3, total: 3, completedAt: done.completedAt },
    ]);
    expect(await b.grader.catalog('new-learner-000000000')).toEqual([{ lesson: LESSON, title: 'Local', href: '/learn/pods/local', passed: 0, total: 3 }]);
  });

  it('does not check a paused lab in the background, and stops when nobody watches', async () => {
    const { grader, key, lab } = await setup();
    await grader.prepareLab(key.labId, LESSON);
    const stop = await grader.watch(key, () => {});
    await new Promise((r) => setTimeout(r, 200));
    stop();
    // A round already running when the last watcher left may still finish its checks (slowly, on a loaded
    // machine); wait until no exec has started for 150 ms, then expect no new one for twice that.
    let afterStop = -1;
    for (let waited = 0; afterStop !== lab.execCount && waited < 5_000; waited += 150) {
      afterStop = lab.execCount;
      await new Promise((r) => setTimeout(r, 150));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(lab.execCount).toBe(afterStop);
    lab.state = 'paused';
    const stop2 = await grader.watch(key, () => {});
    cleanups.push(stop2);
    await new Promise((r) => setTimeout(r, 300));
    expect(lab.execCount).toBe(afterStop);
  });

  it('reports a failing setup and never grades that lab', async () => {
    const { grader, key, node1 } = await setup();
    mkdirSync(path.join(node1, 'setup-runs')); // "echo >> setup-runs" now fails
    await grader.prepareLab(key.labId, LESSON);
    const v = await grader.view(key);
    expect(v.setup).toBe('failed');
    expect(v.setupError).toMatch(/setup step 1 on node1 exited 1/);
    expect(existsSync(path.join(node1, 'service.conf'))).toBe(false);
  });
});

describe('Grader: lab reset', () => {
  it('grades a reset lab from scratch, re-runs setup, keeps history for the catalog, and ends open watches', async () => {
    const { grader, key, node1 } = await setup();
    await grader.prepareLab(key.labId, LESSON);
    writeFileSync(path.join(node1, 'a'), '');
    expect((await grader.checkNow(key)).progress.passed).toBe(1);
    let ended = 0;
    const stop = await grader.watch(
      key,
      () => {},
      () => ended++,
    );
    cleanups.push(stop);
    // The lab runner replaced the nodes: a fresh, empty lab under the same id.
    rmSync(node1, { recursive: true });
    mkdirSync(node1);
    await grader.labReset(key.labId);
    expect(ended).toBe(1);
    const v = await grader.view(key);
    await grader.prepareLab(key.labId, LESSON);
    expect(readFileSync(path.join(node1, 'setup-runs'), 'utf8')).toBe('x\n');
    expect(readFileSync(path.join(node1, 'service.conf'), 'utf8')).toBe('broken\n');
    expect(v.tasks[0]!.status).not.toBe('passed');
    expect((await grader.catalog(LEARNER))[0]!.passed).toBe(1);
  });
});

describe('idleAwareSchedule', () => {
  it('checks every round while the learner is active, one in five while idle, never on a paused lab', async () => {
    const { idleAwareSchedule, ACTIVE_WINDOW_MS, IDLE_ROUND_EVERY } = await import('../../../lab-runner/grader/grader.ts');
    let now = 1_000_000;
    const lab = { state: 'ready', lastActiveAt: new Date(now) };
    const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {}, random: () => 0.5 };
    const should = idleAwareSchedule(async () => lab as never, clock);
    const run = async (n: number) => {
      const out: boolean[] = [];
      for (let i = 0; i < n; i++) out.push(await should());
      return out;
    };
    expect(await run(3)).toEqual([true, true, true]);
    now += ACTIVE_WINDOW_MS + 1;
    const idle = await run(IDLE_ROUND_EVERY * 2);
    expect(idle.filter(Boolean)).toHaveLength(2);
    lab.lastActiveAt = new Date(now); // the learner typed: full rate at the very next tick
    expect(await run(2)).toEqual([true, true]);
    lab.state = 'paused';
    expect(await run(3)).toEqual([false, false, false]);
  });
});
