// `lab verify --timeout-scale=N`: every timeout a challenge declares (setup steps, checks, invariants, near misses and
// variants) stretched by one factor, for a host much slower than the ones those timeouts were written for. Under an
// emulated CPU (the stock-kernel VM, tests/stock-host/) each exec costs several times more, so a check that loops over
// twenty curls outlives a 10 s limit that a real machine meets with room to spare. Only the patience changes: what a
// check accepts does not.
import type { Challenge } from '../../course/challenge/challenge-schema.ts';
import { DEFAULT_SETUP_TIMEOUT_MS } from './setup-runner.ts';
import { DEFAULT_VARIANT_TIMEOUT_MS } from './verify-variants.ts';

export const MAX_TIMEOUT_SCALE = 20;

export function scaleChallengeTimeouts(challenge: Challenge, factor: number): Challenge {
  if (factor === 1) return challenge;
  const by = (ms: number) => Math.round(ms * factor);
  return {
    ...challenge,
    setup: challenge.setup.map((s) => ({ ...s, timeout: by(s.timeout ?? DEFAULT_SETUP_TIMEOUT_MS) })),
    tasks: challenge.tasks.map((t) => ({
      ...t,
      timeout: by(t.timeout),
      invariants: t.invariants.map((i) => ({ ...i, timeout: by(i.timeout ?? t.timeout) })),
      wrong: t.wrong.map((v) => ({ ...v, timeout: by(v.timeout ?? DEFAULT_VARIANT_TIMEOUT_MS) })),
      right: t.right.map((v) => ({ ...v, timeout: by(v.timeout ?? DEFAULT_VARIANT_TIMEOUT_MS) })),
    })),
  };
}
