// Two lessons of one sandbox share the learner's lab. The routes with a REAL grader (real SQLite progress store; the
// lab's nodes are local directories, scripts run in local bash) over an in-memory stand-in for the lab manager:
//   - POST /api/labs {lesson B} on a lab prepared for A leaves it alone (B's setup does not run on top);
//   - GET /api/labs?sandbox=…&lesson=… and the answers name the lesson the lab is set up for (preparedFor);
//   - the challenge view for B says 'other-lesson';
//   - POST /api/labs/:id/reset {lesson: B} clears A's record and runs B's setup.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import type { Platform } from '../../../lab-runner/platform.ts';
import type { Lab } from '../../../lab-runner/lab/lab.ts';
import { LabLifecycle } from '../../../lab-runner/lab/lab-lifecycle.ts';
import type { LabManager } from '../../../lab-runner/lab/lab-manager.ts';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import * as labsRoute from '../../../app/api/labs/route.ts';
import * as resetRoute from '../../../app/api/labs/[labId]/reset/route.ts';
import * as stateRoute from '../../../app/api/challenge/state/route.ts';
import { LocalLab } from '../../fixtures/grader/local-lab.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';

// Real lessons of the course (the routes validate against content/), both in sandbox nodes-2.
const A = 'pods/pods-and-network-namespaces';
const A_TITLE = 'Pods and network namespaces';
const B = 'between-nodes/routing-pod-ranges';

/** The grader's own challenges for those ids: a setup that leaves a marker, so the test sees whose setup ran. */
function challengeFor(lesson: string, marker: string): LessonChallenge {
  const r = parseChallenge(
    `
setup:
  - target: node1
    script: echo x >> ${marker}-setup-runs
tasks:
  - id: task-${marker}
    title: Task ${marker}
    description: Create done-${marker}.
    target: node1
    check: '[ -e done-${marker} ] || fail "no done-${marker}"'
    solution: { text: "touch done-${marker}", script: "touch done-${marker}" }
`,
    'challenge.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { lesson, title: lesson, href: `/learn/${lesson}`, sandbox: 'nodes-2', challengeFile: 'challenge.yaml', challenge: r.challenge };
}

let local: LocalLab;
let db: DatabaseSync;
let progress: SqliteProgressStore;
let grader: Grader;
let dataDir: string;

/** One lab (id lab-00000001) whose nodes are LocalLab directories; reset empties them, as fresh nodes would be. */
function fakePlatform(): Platform {
  let lab: Lab | undefined;
  const now = new Date();
  const labs = {
    async list(filter?: { learnerId?: string }) {
      return lab && (!filter?.learnerId || lab.learnerId === filter.learnerId) ? [lab] : [];
    },
    async get(id: string) {
      return lab?.id === id ? lab : undefined;
    },
    subscribe() {
      return () => {};
    },
    async create(opts: { template: string; learnerId: string }) {
      if (lab) throw new Error('this stand-in holds one lab');
      lab = {
        id: local.id,
        learnerId: opts.learnerId,
        template: opts.template,
        createdAt: now,
        expiresAt: new Date(+now + 3_600_000),
        lastActiveAt: now,
        state: 'ready',
        networkId: 'net',
        readyAt: now,
        targets: [{ name: 'node1', kind: 'node', title: 'node1', containerId: 'c0ffee1234', containerName: `pw-${local.id}-node1` }],
      };
      return lab;
    },
    async reset(id: string) {
      rmSync(local.dir('node1'), { recursive: true });
      local.dir('node1');
      lab = { ...lab!, id, readyAt: new Date() } as Lab;
      return lab;
    },
    exec: local.exec.bind(local),
  };
  grader = new Grader({
    labs,
    progress,
    lessons: {
      get: async (l) => (l === A ? challengeFor(A, 'a') : l === B ? challengeFor(B, 'b') : undefined),
      list: async () => [challengeFor(A, 'a'), challengeFor(B, 'b')],
    },
    intervalMs: 60_000,
  });
  const terminals = { endLab() {} };
  const lifecycle = new LabLifecycle({ labs: labs as unknown as LabManager, terminals, grader });
  return { config: { DATA_DIR: dataDir, SESSION_SECRET: 's'.repeat(48) }, labs, terminals, grader, lifecycle } as unknown as Platform;
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-lab-other-lesson-'));
  local = new LocalLab({ id: 'lab-00000001', learnerId: 'unused', template: 'nodes-2' });
  db = openProgressDb(dataDir);
  progress = new SqliteProgressStore(db);
  setPlatform(fakePlatform());
});
afterEach(async () => {
  setPlatform(undefined);
  await grader.close();
  db.close();
});

type LabJson = { id: string; state: string; preparedFor?: { lesson: string; title: string; href?: string } };
const runs = (marker: string) => {
  const f = path.join(local.dir('node1'), `${marker}-setup-runs`);
  return existsSync(f) ? readFileSync(f, 'utf8').length / 2 : 0;
};
const start = async (lesson: string, cookie = '') => {
  const res = await labsRoute.POST(
    new Request('http://x/api/labs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ sandbox: 'nodes-2', lesson }),
    }),
  );
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie');
  const lines = (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; lab: LabJson });
  return { cookie: setCookie ? setCookie.split(';')[0]! : cookie, last: lines.at(-1)!.lab };
};
const find = async (cookie: string, query: string) => labsRoute.GET(new Request(`http://x/api/labs?${query}`, { headers: { cookie } }));

describe('a lab prepared for one lesson, opened from another lesson of the same sandbox', () => {
  it('is left as it is, and every answer names the lesson it is set up for', async () => {
    const first = await start(A);
    expect(first.last).toMatchObject({
      id: 'lab-00000001',
      state: 'ready',
      preparedFor: { lesson: A, title: A_TITLE, href: '/learn/pods/pods-and-network-namespaces' },
    });
    expect(runs('a')).toBe(1);

    // The learner moves on to lesson B: the page starts (joins) the lab with B.
    const second = await start(B, first.cookie);
    expect(second.last).toMatchObject({ id: 'lab-00000001', state: 'ready', preparedFor: { lesson: A } });
    expect([runs('a'), runs('b')]).toEqual([1, 0]);

    const res = await find(first.cookie, `sandbox=nodes-2&lesson=${encodeURIComponent(B)}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect((JSON.parse(text) as { lab: LabJson }).lab.preparedFor).toEqual({ lesson: A, title: A_TITLE, href: '/learn/pods/pods-and-network-namespaces' });
    // Still no container ids or names in what the browser gets.
    expect(text).not.toContain('c0ffee1234');
    expect(text).not.toContain('pw-lab-00000001-node1');

    const state = await stateRoute.GET(
      new Request(`http://x/api/challenge/state?labId=lab-00000001&lesson=${encodeURIComponent(B)}`, { headers: { cookie: first.cookie } }),
    );
    expect(state.status).toBe(200);
    const view = (await state.json()) as { setup: string; setupLesson?: { lesson: string } };
    expect(view).toMatchObject({ setup: 'other-lesson', setupLesson: { lesson: A } });
    expect(runs('b')).toBe(0);
  });

  it("becomes the new lesson's lab on reset with that lesson: the old record is cleared and its setup runs", async () => {
    const { cookie } = await start(A);
    await start(B, cookie);
    const res = await resetRoute.POST(
      new Request('http://x/api/labs/lab-00000001/reset', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ lesson: B }),
      }),
      { params: Promise.resolve({ labId: 'lab-00000001' }) },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { lab: LabJson }).lab.preparedFor).toMatchObject({ lesson: B, title: 'Routing pod ranges between nodes' });
    expect([runs('a'), runs('b')]).toEqual([0, 1]); // fresh nodes: A's marker went with the old ones
    expect(await progress.getSetup('lab-00000001')).toMatchObject({ lesson: B });
    expect(((await (await find(cookie, 'sandbox=nodes-2')).json()) as { lab: LabJson }).lab.preparedFor?.lesson).toBe(B);
  });

  it('leaves preparedFor out for a lab no lesson has prepared', async () => {
    const res = await labsRoute.POST(
      new Request('http://x/api/labs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sandbox: 'nodes-2' }) }),
    );
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    await res.text();
    const lab = ((await (await find(cookie, 'sandbox=nodes-2')).json()) as { lab: LabJson }).lab;
    expect(lab.id).toBe('lab-00000001');
    expect(lab).not.toHaveProperty('preparedFor');
  });

  it.each([
    ['lesson=Pods!', /lesson must be a lesson id/],
    ['lesson=pods%2Fno-such-lesson', /not a lesson of this course/],
  ])('GET with %s answers 422 naming the lesson field', async (q, message) => {
    const res = await find('', `sandbox=nodes-2&${q}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { fields: Record<string, string> }).fields.lesson).toMatch(message);
  });

  it('GET with a lesson of another sandbox answers 422', async () => {
    const res = await find('', `sandbox=nodes-1&lesson=${encodeURIComponent(A)}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { fields: Record<string, string> }).fields.lesson).toMatch(/not nodes-1/);
  });
});
