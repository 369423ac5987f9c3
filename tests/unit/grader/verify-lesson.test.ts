import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { verifyLesson } from '../../../lab-runner/grader/verify-lesson.ts';
import { formatLessonVerification, summarise, summaryLine } from '../../../lab-runner/grader/verify-report.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { LocalLab } from '../../fixtures/grader/local-lab.ts';

function lesson(yaml: string, sandbox = 'nodes-1'): LessonChallenge {
  const r = parseChallenge(yaml, 'challenge.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { lesson: 'm/l', title: 'L', href: '/learn/m/l', sandbox, challengeFile: 'challenge.yaml', challenge: r.challenge };
}

const task = (id: string, check: string, solution: string, extra = '') => `
  - id: ${id}
    title: ${id}
    description: d
    target: node1
    check: '${check}'
    solution: { text: t, script: '${solution}' }${extra}`;

function labsFor(lab: LocalLab) {
  const events: string[] = [];
  return {
    events,
    labs: {
      create: async () => {
        events.push('create');
        return { id: lab.id } as ReadyLab;
      },
      exec: lab.manager().exec,
      destroy: async (id: string) => void events.push(`destroy ${id}`),
    },
  };
}

describe('verifyLesson', () => {
  it('passes an honest challenge: setup, fails before, solution, passes after, invariants, final re-check', async () => {
    const lab = new LocalLab({ learnerId: 'v', template: 'nodes-1' });
    const { labs, events } = labsFor(lab);
    const l = lesson(
      `setup:\n  - target: node1\n    script: echo broken > conf\ntasks:${task('a', 'test -e a', 'touch a')}${task('fix', 'grep -qx ok conf', 'echo ok > conf', "\n    needs: [a]\n    invariants:\n      - {id: kept, title: conf kept, check: 'test -e conf'}")}`,
    );
    const v = await verifyLesson(l, { labs });
    expect(v.outcome).toBe('passed');
    expect(
      v.tasks.map((t) => [t.taskId, t.failsBefore.outcome, t.solution.outcome, t.passesAfter.outcome, t.invariants.outcome, t.finalCheck.outcome]),
    ).toEqual([
      ['a', 'ok', 'ok', 'ok', 'skipped', 'ok'],
      ['fix', 'ok', 'ok', 'ok', 'ok', 'ok'],
    ]);
    expect(events).toEqual(['create', `destroy ${lab.id}`]);
    const text = formatLessonVerification(v);
    expect(text).toContain('✓ setup');
    expect(text).toMatch(/fix\s+✓\s+✓\s+✓\s+✓\s+✓/);
    expect(text).toContain('✓ passed');
  });

  it('hands the solved lab to afterSolutions (lab verify --record-kube) before destroying it, and only when the main pass passed', async () => {
    const lab = new LocalLab({ learnerId: 'v', template: 'nodes-1' });
    const { labs, events } = labsFor(lab);
    const afterSolutions = async (id: string) =>
      void events.push(`after solutions ${id}: ${(await lab.manager().exec(id, 'node1', { cmd: ['ls'] })).stdout.trim()}`);
    expect((await verifyLesson(lesson(`tasks:${task('a', 'test -e a', 'touch a')}`), { labs, afterSolutions, skipVariants: true })).outcome).toBe('passed');
    expect(events).toEqual(['create', `after solutions ${lab.id}: a`, `destroy ${lab.id}`]);
    events.length = 0;
    expect((await verifyLesson(lesson(`tasks:${task('w', 'test -e w', 'touch x')}`), { labs, afterSolutions, skipVariants: true })).outcome).toBe('failed');
    expect(events).toEqual(['create', `destroy ${lab.id}`]);
  });

  it('fails a vacuous check, a wrong solution, and a later solution that breaks an earlier task', async () => {
    const lab = new LocalLab({ learnerId: 'v', template: 'nodes-1' });
    const { labs } = labsFor(lab);
    const l = lesson(
      `tasks:${task('vacuous', 'true', 'true')}${task('wrong', 'test -e w', 'touch x')}${task('a', 'test -e a', 'touch a')}${task('breaker', 'test -e b', 'rm -f a; touch b')}`,
    );
    const v = await verifyLesson(l, { labs });
    expect(v.outcome).toBe('failed');
    const by = Object.fromEntries(v.tasks.map((t) => [t.taskId, t]));
    expect(by.vacuous!.failsBefore).toMatchObject({ outcome: 'failed', detail: 'the check passes on a fresh lab: it does not test the task' });
    expect(by.wrong!.passesAfter.outcome).toBe('failed');
    expect(by.a!.passesAfter.outcome).toBe('ok');
    expect(by.a!.finalCheck).toMatchObject({ outcome: 'failed' });
    expect(by.a!.finalCheck.detail).toMatch(/^fails after all solutions ran/);
    const s = summarise([v]);
    expect(summaryLine(s)).toBe('0 passed, 1 failed');
    expect(formatLessonVerification(v)).toContain('✗ vacuous / fails before: the check passes on a fresh lab');
  });

  it('fails a fix-by-deletion solution through the invariant, and a broken setup', async () => {
    const lab = new LocalLab({ learnerId: 'v', template: 'nodes-1' });
    const { labs } = labsFor(lab);
    const l = lesson(
      `setup:\n  - target: node1\n    script: echo broken > conf\ntasks:${task('fix', '! grep -q broken conf 2>/dev/null', 'rm conf', "\n    invariants:\n      - {id: kept, title: conf kept, check: 'test -e conf'}")}`,
    );
    const v = await verifyLesson(l, { labs });
    expect(v.tasks[0]!.invariants).toMatchObject({ outcome: 'failed' });
    expect(v.outcome).toBe('failed');
    const broken = lesson(`setup:\n  - target: node1\n    script: 'false'\ntasks:${task('a', 'test -e a', 'touch a')}`);
    const vb = await verifyLesson(broken, { labs: labsFor(new LocalLab({ learnerId: 'v', template: 'nodes-1' })).labs });
    expect(vb).toMatchObject({ outcome: 'failed', reason: 'setup failed', setup: { outcome: 'failed' } });
  });

  it('reports a lesson as skipped, not passed, when its runtime is unavailable', async () => {
    const l = lesson(`tasks:${task('a', 'test -e a', 'touch a')}`, 'kind-default');
    const labs = {
      create: async () => {
        throw new Error('Image kindest/node:v1.35.8 is not on the Docker host.');
      },
      exec: async () => {
        throw new Error('unreachable');
      },
      destroy: async () => {},
    };
    const v = await verifyLesson(l, { labs, unavailableReason: (_l, err) => `kind unavailable (${(err as Error).message})` });
    expect(v).toMatchObject({ outcome: 'skipped', reason: 'kind unavailable (Image kindest/node:v1.35.8 is not on the Docker host.)' });
    expect(formatLessonVerification(v)).toContain('skipped: kind unavailable (Image kindest/node');
    expect(summaryLine(summarise([v]))).toBe('0 passed, 0 failed, 1 skipped');
    const failing = await verifyLesson(l, { labs });
    expect(failing.outcome).toBe('failed');
  });
});

/** Several LocalLabs behind one LabManager-shaped facade: create makes a new one, reset empties its targets. */
function localLabs() {
  const labs = new Map<string, LocalLab>();
  const events: string[] = [];
  let n = 0;
  const make = () => {
    const lab = new LocalLab({ id: `lab-${++n}`, learnerId: 'v', template: 'nodes-1' });
    labs.set(lab.id, lab);
    return lab;
  };
  return {
    events,
    labs: {
      create: async () => {
        const lab = make();
        events.push(`create ${lab.id}`);
        return { id: lab.id } as ReadyLab;
      },
      exec: (id: string, target: string, opts: Parameters<LocalLab['exec']>[2]) => labs.get(id)!.exec(id, target, opts),
      reset: async (id: string) => {
        events.push(`reset ${id}`);
        rmSync(labs.get(id)!.root, { recursive: true, force: true });
        return { id } as ReadyLab;
      },
      destroy: async (id: string) => {
        events.push(`destroy ${id}`);
        labs.delete(id);
      },
    },
  };
}

// Task a: create file a. Task b (after a): write "ok" to b; an invariant keeps a around.
const NEAR_MISSES = `tasks:${task('a', 'test -e a || fail "no file a"', 'touch a')}
    wrong:
      - { id: typo, title: wrote file A, script: 'touch A' }
${task('b', 'test -e a || fail "a is gone"; grep -qx ok b 2>/dev/null || { echo FAIL: b does not say ok; verdict "$(cat b 2>/dev/null)" ok; exit 1; }', 'echo ok > b', "\n    invariants:\n      - {id: a-kept, title: a kept, check: 'test -e a || fail a was deleted'}")}
    wrong:
      - { id: loose, title: ok with extra text, script: 'echo okay > b' }
      - { id: by-deletion, title: fixes b but deletes a, script: 'echo ok > b; rm a' }
      - { id: accepted, title: a near miss the check lets through, script: 'echo ok > b; echo leftover > junk' }
      - { id: mute, title: rejected without a word, script: 'touch mute' }
      - { id: broken, title: a near miss whose script fails, script: 'false' }
    right:
      - { id: printf, title: printf instead of echo, script: 'test ! -e junk && printf "ok\\\\n" > b' }
      - { id: needs-a, title: only passes when a's solution ran first, script: 'test -e a && echo ok > b' }
      - { id: wrong-right, title: a right answer the check rejects, script: 'echo OK > b' }`;

describe('verifyLesson: near misses (wrong:) and right variants (right:)', () => {
  const muteCheck = (l: LessonChallenge) => {
    // The "mute" near miss is judged by a task whose check prints nothing when it fails.
    const b = l.challenge.tasks[1]!;
    b.check = `test -e mute && exit 1; ${b.check}`;
    return l;
  };

  it('runs each entry on a reset lab after setup and the earlier solutions, and reports every way an entry can fail', async () => {
    const { labs, events } = localLabs();
    const v = await verifyLesson(muteCheck(lesson(NEAR_MISSES)), { labs });
    const by = Object.fromEntries((v.variants ?? []).map((x) => [`${x.taskId}/${x.kind}/${x.id}`, x]));
    expect(Object.keys(by)).toEqual([
      'a/wrong/typo',
      'b/wrong/loose',
      'b/wrong/by-deletion',
      'b/wrong/accepted',
      'b/wrong/mute',
      'b/wrong/broken',
      'b/right/printf',
      'b/right/needs-a',
      'b/right/wrong-right',
    ]);
    expect(by['a/wrong/typo']).toMatchObject({ outcome: 'ok', verdict: 'check: no file a' });
    expect(by['b/wrong/loose']).toMatchObject({ outcome: 'ok', verdict: 'check: expected ok, found okay' });
    expect(by['b/wrong/by-deletion']).toMatchObject({ outcome: 'ok', verdict: 'check: a is gone' });
    // A near miss that passes is a failure, with the check's output.
    expect(by['b/wrong/accepted']!.outcome).toBe('failed');
    expect(by['b/wrong/accepted']!.detail).toMatch(/^the near miss PASSES: the check passed and every invariant held/);
    expect(by['b/wrong/mute']).toMatchObject({ outcome: 'failed' });
    expect(by['b/wrong/mute']!.detail).toMatch(/says nothing about what is wrong \("Not done yet\."\)/);
    expect(by['b/wrong/broken']!.detail).toMatch(/^the near-miss script itself failed/);
    // The junk of the "accepted" entry is gone: each entry starts from a reset lab.
    expect(by['b/right/printf']).toMatchObject({ outcome: 'ok' });
    expect(by['b/right/needs-a']).toMatchObject({ outcome: 'ok' });
    // A right variant that fails is reported.
    expect(by['b/right/wrong-right']).toMatchObject({ outcome: 'failed' });
    expect(by['b/right/wrong-right']!.detail).toMatch(/^the check rejects this right answer: expected ok, found OK/);
    expect(v.outcome).toBe('failed');
    // The main pass is unchanged and passed; one lab was created, reset once per entry, and destroyed.
    expect(v.tasks.every((t) => t.finalCheck.outcome === 'ok')).toBe(true);
    expect(events.filter((e) => e.startsWith('reset'))).toHaveLength(9);
    expect(events.filter((e) => e.startsWith('create'))).toEqual(['create lab-1']);
    expect(events.at(-1)).toBe('destroy lab-1');

    const text = formatLessonVerification(v);
    expect(text).toContain('near misses: 3 rejected, 3 not rejected; right variants: 2 pass, 1 fail');
    expect(text).toContain('✓ b wrong loose: rejected by check: expected ok, found okay');
    expect(text).toContain('✗ b wrong accepted: the near miss PASSES');
    expect(summaryLine(summarise([v]))).toBe('0 passed, 1 failed (near misses: 3 rejected, 3 not; right variants: 2 pass, 1 fail)');
  });

  it('a near miss rejected only by an invariant counts as rejected, with the invariant named', async () => {
    const { labs } = localLabs();
    const l =
      lesson(`tasks:${task('fix', 'grep -qx good conf 2>/dev/null || fail "conf is not good"', 'echo good > conf', "\n    invariants:\n      - {id: sidecar, title: sidecar kept, check: 'test -e sidecar || fail the sidecar is gone'}")}
    wrong:
      - { id: kill-sidecar, title: fixes conf by removing the sidecar, script: 'echo good > conf; rm -f sidecar' }`);
    l.challenge.setup.push({ target: 'node1', script: 'touch sidecar', artefacts: [] });
    const v = await verifyLesson(l, { labs });
    expect(v.variants).toEqual([expect.objectContaining({ id: 'kill-sidecar', outcome: 'ok', verdict: 'invariant sidecar: the sidecar is gone' })]);
    expect(v.outcome).toBe('passed');
  });

  it('spreads entries over several labs, keeps task order in the report, and destroys the labs it created', async () => {
    const { labs, events } = localLabs();
    const v = await verifyLesson(muteCheck(lesson(NEAR_MISSES)), { labs, variantLabs: 3 });
    expect((v.variants ?? []).map((x) => `${x.id}:${x.outcome}`)).toEqual([
      'typo:ok',
      'loose:ok',
      'by-deletion:ok',
      'accepted:failed',
      'mute:failed',
      'broken:failed',
      'printf:ok',
      'needs-a:ok',
      'wrong-right:failed',
    ]);
    const created = events.filter((e) => e.startsWith('create')).map((e) => e.split(' ')[1]);
    expect(created).toHaveLength(3);
    for (const id of created) expect(events).toContain(`destroy ${id}`);
  });

  it('leaves the entries to the main lab when no extra lab can be had (the per-learner limit), with distinct learner ids', async () => {
    const { labs, events } = localLabs();
    const learners: string[] = [];
    const limited = {
      ...labs,
      create: async (req: { learnerId: string }) => {
        learners.push(req.learnerId);
        if (learners.length > 1) throw new Error('You already have 2 running labs; the limit is 2.');
        return labs.create();
      },
    };
    const v = await verifyLesson(muteCheck(lesson(NEAR_MISSES)), { labs: limited, variantLabs: 3, learnerId: 'lab-verify-1' });
    expect(v.variants?.map((x) => x.outcome)).toEqual(['ok', 'ok', 'ok', 'failed', 'failed', 'failed', 'ok', 'ok', 'failed']);
    expect(v.variants?.some((x) => /could not prepare/.test(x.detail ?? ''))).toBe(false);
    expect(learners).toEqual(['lab-verify-1', 'lab-verify-1-v1', 'lab-verify-1-v2']);
    expect(events.filter((e) => e.startsWith('reset'))).toHaveLength(9);
  });

  it('still runs an entry that an extra worker hands back after the main worker has finished', async () => {
    const { labs, events } = localLabs();
    let creates = 0;
    const late = {
      ...labs,
      create: async () => {
        if (++creates === 1) return labs.create();
        // The extra lab fails only once the main lab has worked through every other entry.
        while (events.filter((e) => e.startsWith('reset')).length < 8) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 500));
        throw new Error('You already have 2 running labs; the limit is 2.');
      },
    };
    const v = await verifyLesson(muteCheck(lesson(NEAR_MISSES)), { labs: late, variantLabs: 2 });
    expect(v.variants?.map((x) => `${x.id}:${x.outcome}`)).toEqual([
      'typo:ok',
      'loose:ok',
      'by-deletion:ok',
      'accepted:failed',
      'mute:failed',
      'broken:failed',
      'printf:ok',
      'needs-a:ok',
      'wrong-right:failed',
    ]);
  });

  it('replaces the lab for each entry when its runtime cannot reset (kind)', async () => {
    const { labs, events } = localLabs();
    const noReset = {
      ...labs,
      reset: async () => {
        throw Object.assign(new Error('Labs of runtime kind cannot be reset'), { code: 'unsupported' });
      },
    };
    const v = await verifyLesson(muteCheck(lesson(NEAR_MISSES)), { labs: noReset });
    expect(v.variants?.filter((x) => x.outcome === 'ok')).toHaveLength(5);
    // The main lab, then a fresh one per entry; every one destroyed.
    expect(events.filter((e) => e.startsWith('create'))).toHaveLength(10);
    expect(events.filter((e) => e.startsWith('destroy'))).toHaveLength(10);
  });

  it('--skip-variants runs only the main pass', async () => {
    const { labs, events } = localLabs();
    const v = await verifyLesson(muteCheck(lesson(NEAR_MISSES)), { labs, skipVariants: true });
    expect(v.variants).toBeUndefined();
    expect(v.outcome).toBe('passed');
    expect(events.some((e) => e.startsWith('reset'))).toBe(false);
    expect(summaryLine(summarise([v]))).toBe('1 passed, 0 failed');
  });
});
