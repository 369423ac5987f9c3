// POST /api/labs (and /reset) with a lesson: the routes validate the lesson against the course (real content/) and run the
// grader's prepareLab before the ready line, so break-fix faults are in place before the learner's first keystroke.
// The platform is a small in-memory stand-in (no Docker): what is under test is the route's ordering and validation.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setPlatform } from '../../../app/_server/platform-handle.ts';
import type { Platform } from '../../../lab-runner/platform.ts';
import type { Lab, LabEvent } from '../../../lab-runner/lab/lab.ts';
import { LabLifecycle } from '../../../lab-runner/lab/lab-lifecycle.ts';
import type { LabManager } from '../../../lab-runner/lab/lab-manager.ts';
import * as labsRoute from '../../../app/api/labs/route.ts';
import * as resetRoute from '../../../app/api/labs/[labId]/reset/route.ts';

const LESSON = 'pods/pods-and-network-namespaces'; // sandbox nodes-2, kindSandbox kind-default, has a challenge

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}
function deferred(): Deferred {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Labs that become ready after two progress steps; prepareLab waits until the test lets it finish. */
function fakePlatform() {
  const labs = new Map<string, Lab>();
  const listeners = new Set<(e: LabEvent) => void>();
  const prepared: Array<{ labId: string; lesson: string }> = [];
  /** The order of grader calls, to see that setup runs after the reset wiped the old one. */
  const graderCalls: string[] = [];
  const created: string[] = [];
  let gate = deferred();
  let n = 0;
  const now = new Date();
  const common = (id: string, learnerId: string, template: string) => ({
    id,
    learnerId,
    template,
    createdAt: now,
    expiresAt: new Date(+now + 3_600_000),
    lastActiveAt: now,
  });
  const platform = {
    config: { DATA_DIR: '/nonexistent', SESSION_SECRET: 's'.repeat(48) },
    labs: {
      async list(filter?: { learnerId?: string }) {
        return [...labs.values()].filter((l) => !filter?.learnerId || l.learnerId === filter.learnerId);
      },
      async get(id: string) {
        return labs.get(id);
      },
      subscribe(listener: (e: LabEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async create(opts: { template: string; learnerId: string; onEvent?: (e: LabEvent) => void }) {
        const id = `lab-${String(++n).padStart(8, '0')}`; // a real lab id (LAB_ID_PATTERN): the routes refuse others
        created.push(opts.template);
        const pending: Lab = { ...common(id, opts.learnerId, opts.template), state: 'pending', progress: { step: 1, totalSteps: 2, label: 'Creating nodes' } };
        labs.set(id, pending);
        opts.onEvent?.({ type: 'progress', labId: id, progress: pending.progress });
        await new Promise((r) => setTimeout(r, 5));
        const ready: Lab = {
          ...common(id, opts.learnerId, opts.template),
          state: 'ready',
          networkId: 'net',
          readyAt: new Date(),
          targets: [{ name: 'node1', kind: 'node', title: 'node1', containerId: 'c1', containerName: `pw-${id}-node1` }],
        };
        labs.set(id, ready);
        opts.onEvent?.({ type: 'state', labId: id, state: 'ready' });
        return ready;
      },
      async reset(id: string) {
        const lab = labs.get(id)!;
        const fresh = { ...lab, readyAt: new Date() } as Lab;
        labs.set(id, fresh);
        return fresh;
      },
    },
    terminals: { endLab() {} },
    grader: {
      prepareLab(labId: string, lesson: string) {
        prepared.push({ labId, lesson });
        graderCalls.push(`prepare ${labId}`);
        return gate.promise;
      },
      async labReset(labId: string) {
        graderCalls.push(`reset ${labId}`);
      },
      // Answers carry preparedFor; what it holds is tested with the real grader in lab-other-lesson.test.ts.
      async preparedLesson() {
        return undefined;
      },
    },
  };
  const lifecycle = new LabLifecycle({ labs: platform.labs as unknown as LabManager, terminals: platform.terminals, grader: platform.grader });
  return {
    platform: { ...platform, lifecycle } as unknown as Platform,
    prepared,
    graderCalls,
    created,
    releaseSetup: () => gate.resolve(),
    closeGate: () => (gate = deferred()),
  };
}

const post = (body: unknown, cookie = '') =>
  labsRoute.POST(
    new Request('http://x/api/labs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    }),
  );

type Line = { type: string; lab?: { id: string; state: string; progress?: { label: string; step: number; totalSteps: number } } };

/** Reads NDJSON lines until `until` matches one (or the stream ends). */
async function readUntil(reader: ReadableStreamDefaultReader<string>, seen: Line[], until: (l: Line) => boolean): Promise<void> {
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffered += value;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as Line;
      buffered = buffered.slice(nl + 1);
      seen.push(line);
      if (until(line)) return;
    }
    if (done) return;
  }
}

let fake: ReturnType<typeof fakePlatform>;
beforeAll(() => {
  fake = fakePlatform();
  setPlatform(fake.platform);
});
afterEach(() => {
  fake.releaseSetup();
});
afterAll(() => setPlatform(undefined));

describe('POST /api/labs with a lesson', () => {
  it('runs the lesson setup after provisioning and before the ready line', async () => {
    fake.closeGate();
    const res = await post({ sandbox: 'nodes-2', lesson: LESSON });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const lines: Line[] = [];
    await readUntil(reader, lines, (l) => l.lab?.progress?.label === 'Preparing the lesson');
    const preparing = lines.at(-1)!;
    expect(preparing.lab).toMatchObject({ state: 'pending', progress: { step: 3, totalSteps: 3 } });
    expect(fake.prepared.at(-1)).toEqual({ labId: preparing.lab!.id, lesson: LESSON });
    expect(lines.some((l) => l.lab?.state === 'ready')).toBe(false);

    // Nothing more arrives while setup runs: the next read only settles once prepareLab does.
    let more = false;
    const next = readUntil(reader, lines, (l) => l.lab?.state === 'ready').then(() => (more = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(more).toBe(false);
    fake.releaseSetup();
    await next;
    expect(lines.at(-1)!.lab).toMatchObject({ id: preparing.lab!.id, state: 'ready' });
  });

  it('waits for setup before answering for a lab that is already running', async () => {
    fake.closeGate();
    const first = await post({ sandbox: 'nodes-2' });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const id = (await first.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .at(-1)!.lab!.id;
    const before = fake.prepared.length;

    let answered = false;
    const again = post({ sandbox: 'nodes-2', lesson: LESSON }, cookie).then((r) => ((answered = true), r));
    // Setup has started (and is held at the gate), yet the request is still unanswered.
    await vi.waitFor(() => expect(fake.prepared.slice(before)).toEqual([{ labId: id, lesson: LESSON }]), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    fake.releaseSetup();
    const lines = (await (await again).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => [l.lab?.id, l.lab?.state])).toEqual([[id, 'ready']]);
  });

  it('accepts the lesson on its kind sandbox too', async () => {
    fake.releaseSetup();
    const before = fake.prepared.length;
    const res = await post({ sandbox: 'kind-default', lesson: LESSON });
    expect(res.status).toBe(200);
    await res.text();
    expect(fake.prepared.slice(before).map((p) => p.lesson)).toEqual([LESSON]);
  });

  it('keeps the old behaviour without a lesson: no setup, ready line straight after provisioning', async () => {
    const before = fake.prepared.length;
    const res = await post({ sandbox: 'nodes-1' });
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.at(-1)!.lab?.state).toBe('ready');
    expect(lines.some((l) => l.lab?.progress?.label === 'Preparing the lesson')).toBe(false);
    expect(fake.prepared.length).toBe(before);
  });

  it.each([
    [{ sandbox: 'nodes-2', lesson: 'Pods!' }, /lesson must be a lesson id/],
    [{ sandbox: 'nodes-2', lesson: 'pods/no-such-lesson' }, /not a lesson of this course/],
    [{ sandbox: 'nodes-1', lesson: LESSON }, /runs in sandbox nodes-2 or kind-default, not nodes-1/],
  ])('refuses %j with 422 naming the lesson field, before any lab is created', async (body, message) => {
    const created = fake.created.length;
    const res = await post(body);
    expect(res.status).toBe(422);
    const json = (await res.json()) as { fields: Record<string, string> };
    expect(json.fields.lesson).toMatch(message);
    expect(fake.created.length).toBe(created);
  });
});

describe('POST /api/labs/:labId/reset with a lesson', () => {
  const reset = (labId: string, cookie: string, body?: unknown) =>
    resetRoute.POST(
      new Request(`http://x/api/labs/${labId}/reset`, {
        method: 'POST',
        headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }),
      { params: Promise.resolve({ labId }) },
    );

  async function ownLab(sandbox: string) {
    fake.releaseSetup();
    const res = await post({ sandbox });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const id = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .at(-1)!.lab!.id;
    return { id, cookie };
  }

  it('runs the lesson setup again on the fresh nodes before answering', async () => {
    const { id, cookie } = await ownLab('nodes-2');
    fake.closeGate();
    const calls = fake.graderCalls.length;
    let answered = false;
    const res = reset(id, cookie, { lesson: LESSON }).then((r) => ((answered = true), r));
    await vi.waitFor(() => expect(fake.graderCalls.slice(calls)).toEqual([`reset ${id}`, `prepare ${id}`]), { timeout: 5_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    fake.releaseSetup();
    expect((await res).status).toBe(200);
  });

  it('without a body resets as before, with a wrong lesson it refuses', async () => {
    const { id, cookie } = await ownLab('nodes-1');
    const calls = fake.graderCalls.length;
    expect((await reset(id, cookie)).status).toBe(200);
    expect(fake.graderCalls.slice(calls)).toEqual([`reset ${id}`]);
    const wrong = await reset(id, cookie, { lesson: LESSON });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { fields: Record<string, string> }).fields.lesson).toMatch(/not nodes-1/);
  });
});
