import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../lab-runner/grader/challenge-loader.ts';
import type { LessonChallenge } from '../../../lab-runner/grader/lesson-challenges.ts';
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
    const l = lesson(`setup:\n  - target: node1\n    script: echo broken > conf\ntasks:${task('a', 'test -e a', 'touch a')}${task('fix', 'grep -qx ok conf', 'echo ok > conf', "\n    needs: [a]\n    invariants:\n      - {id: kept, title: conf kept, check: 'test -e conf'}")}`);
    const v = await verifyLesson(l, { labs });
    expect(v.outcome).toBe('passed');
    expect(v.tasks.map((t) => [t.taskId, t.failsBefore.outcome, t.solution.outcome, t.passesAfter.outcome, t.invariants.outcome, t.finalCheck.outcome])).toEqual([
      ['a', 'ok', 'ok', 'ok', 'skipped', 'ok'],
      ['fix', 'ok', 'ok', 'ok', 'ok', 'ok'],
    ]);
    expect(events).toEqual(['create', `destroy ${lab.id}`]);
    const text = formatLessonVerification(v);
    expect(text).toContain('✓ setup');
    expect(text).toMatch(/fix\s+✓\s+✓\s+✓\s+✓\s+✓/);
    expect(text).toContain('✓ passed');
  });

  it('fails a vacuous check, a wrong solution, and a later solution that breaks an earlier task', async () => {
    const lab = new LocalLab({ learnerId: 'v', template: 'nodes-1' });
    const { labs } = labsFor(lab);
    const l = lesson(`tasks:${task('vacuous', 'true', 'true')}${task('wrong', 'test -e w', 'touch x')}${task('a', 'test -e a', 'touch a')}${task('breaker', 'test -e b', 'rm -f a; touch b')}`);
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
    const l = lesson(`setup:\n  - target: node1\n    script: echo broken > conf\ntasks:${task('fix', '! grep -q broken conf 2>/dev/null', 'rm conf', "\n    invariants:\n      - {id: kept, title: conf kept, check: 'test -e conf'}")}`);
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
