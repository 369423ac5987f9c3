// lab verify --timeout-scale: every declared or defaulted timeout stretched by the factor, nothing else touched.
import { describe, expect, it } from 'vitest';
import { challengeSchema } from '../../../course/challenge/challenge-schema.ts';
import { DEFAULT_SETUP_TIMEOUT_MS } from '../../../lab-runner/grader/setup-runner.ts';
import { scaleChallengeTimeouts } from '../../../lab-runner/grader/timeout-scale.ts';
import { DEFAULT_VARIANT_TIMEOUT_MS } from '../../../lab-runner/grader/verify-variants.ts';

const challenge = challengeSchema.parse({
  setup: [
    { target: 'node1', script: 'true' },
    { target: 'node1', script: 'sleep 1', timeout: '5s' },
  ],
  tasks: [
    {
      id: 'a',
      title: 'A',
      description: 'a',
      target: 'node1',
      check: 'pass',
      solution: { text: 'x', script: 'true' },
      invariants: [
        { id: 'keeps', title: 'keeps', check: 'pass' },
        { id: 'quick', title: 'quick', check: 'pass', timeout: '2s' },
      ],
      wrong: [{ id: 'w', title: 'w', script: 'true' }],
      right: [{ id: 'r', title: 'r', script: 'true', timeout: '30s' }],
    },
    { id: 'b', title: 'B', description: 'b', target: 'node2', check: 'pass', timeout: '40s', solution: { text: 'y', script: 'true' } },
  ],
});

describe('scaleChallengeTimeouts', () => {
  it('multiplies every timeout, filling in the defaults the runners would use', () => {
    const s = scaleChallengeTimeouts(challenge, 4);
    expect(s.setup.map((x) => x.timeout)).toEqual([DEFAULT_SETUP_TIMEOUT_MS * 4, 20_000]);
    expect(s.tasks.map((t) => t.timeout)).toEqual([40_000, 160_000]);
    // An invariant without its own timeout inherits its task's, scaled once.
    expect(s.tasks[0]!.invariants.map((i) => i.timeout)).toEqual([40_000, 8_000]);
    expect(s.tasks[0]!.wrong[0]!.timeout).toBe(DEFAULT_VARIANT_TIMEOUT_MS * 4);
    expect(s.tasks[0]!.right[0]!.timeout).toBe(120_000);
  });

  it('changes nothing else, and does not modify its input', () => {
    const before = structuredClone(challenge);
    const s = scaleChallengeTimeouts(challenge, 3);
    expect(challenge).toEqual(before);
    const strip = (c: typeof challenge) => JSON.parse(JSON.stringify(c, (k: string, v: unknown) => (k === 'timeout' ? undefined : v))) as unknown;
    expect(strip(s)).toEqual(strip(challenge));
  });

  it('factor 1 is the challenge itself', () => {
    expect(scaleChallengeTimeouts(challenge, 1)).toBe(challenge);
  });
});
