// The rewind plan: which solutions are replayed, in which order, with which seed.
import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { rewindPlan } from '../../../lab-runner/practice/rewind.ts';
import { seedPrelude } from '../../../lab-runner/practice/setup-seed.ts';

const challenge = (() => {
  const t = (id: string, extra = '') => `
  - id: ${id}
    title: ${id}
    description: d
    target: node1
    check: 'true'
    solution: {text: t, script: 'echo ${id}'${extra}}`;
  const parsed = parseChallenge(`tasks:${t('a')}${t('b', ', target: node2')}${t('c')}${t('d')}`, 'plan.yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.challenge;
})();

describe('rewindPlan', () => {
  it('replays the solutions of the passed tasks before the target, in challenge order, on their targets', () => {
    const plan = rewindPlan(challenge, 'c', new Set(['b', 'a', 'd']), 'abcdef0123456789');
    expect(plan).toEqual({
      taskId: 'c',
      seed: 'abcdef0123456789',
      replay: [
        { taskId: 'a', target: 'node1', script: 'echo a' },
        { taskId: 'b', target: 'node2', script: 'echo b' },
      ],
    });
  });
  it('skips tasks before the target that were never passed, and replays nothing for the first task', () => {
    expect(rewindPlan(challenge, 'd', new Set(['a', 'c']), 'abcdef0123456789').replay.map((s) => s.taskId)).toEqual(['a', 'c']);
    expect(rewindPlan(challenge, 'a', new Set(['a', 'b', 'c', 'd']), 'abcdef0123456789').replay).toEqual([]);
  });
  it('without a task, rewinds to where the learner was: before the first task not passed, or after all of them', () => {
    expect(rewindPlan(challenge, undefined, new Set(['a', 'b', 'd']), 'abcdef0123456789')).toMatchObject({
      taskId: 'c',
      replay: [{ taskId: 'a' }, { taskId: 'b' }],
    });
    const all = rewindPlan(challenge, undefined, new Set(['a', 'b', 'c', 'd']), 'abcdef0123456789');
    expect(all.taskId).toBeUndefined();
    expect(all.replay.map((s) => s.taskId)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('refuses an unknown task with the known ones', () => {
    expect(() => rewindPlan(challenge, 'zz', new Set(), 'abcdef0123456789')).toThrow(/no task "zz".*a, b, c, d/);
  });
});

describe('seedPrelude', () => {
  it('is the same for the same seed and step, different for another step or seed', () => {
    expect(seedPrelude('abcdef0123456789', 0)).toBe(seedPrelude('abcdef0123456789', 0));
    expect(seedPrelude('abcdef0123456789', 1)).not.toBe(seedPrelude('abcdef0123456789', 0));
    expect(seedPrelude('0123456789abcdef', 0)).not.toBe(seedPrelude('abcdef0123456789', 0));
    expect(seedPrelude('abcdef0123456789', 0)).toMatch(/^RANDOM=\d+$/m);
  });
  it('refuses a seed that is not hex (it is pasted into bash)', () => {
    expect(() => seedPrelude('$(reboot)', 0)).toThrow(/invalid setup seed/);
  });
});
