// When a background grading round runs: the lab's state and the learner's activity decide, so an idle or paused lab
// is not kept awake by its open Challenge panel.
import type { Lab } from '../lab/lab.ts';
import type { Clock } from './grading-loop.ts';

/** Learner activity (terminal input touches the lab) within this window keeps checking at the full rate. */
export const ACTIVE_WINDOW_MS = 2 * 60_000;
/** While the learner is idle, only every Nth background round runs: the lab rarely changes by itself. */
export const IDLE_ROUND_EVERY = 5;

/**
 * Decides, before each background round, whether to run it: never on a paused or gone lab (checking would wake it and
 * defeat the idle timer), every round while the learner is active, one round in IDLE_ROUND_EVERY while idle.
 * The first keystroke after a pause touches the lab, so full-rate checking resumes at the next tick. "Check" always runs.
 */
export function idleAwareSchedule(getLab: () => Promise<Lab | undefined>, clock: Clock): () => Promise<boolean> {
  let skipped = 0;
  return async () => {
    const lab = await getLab();
    if (lab?.state !== 'ready') return false;
    if (clock.now() - lab.lastActiveAt.getTime() < ACTIVE_WINDOW_MS) {
      skipped = 0;
      return true;
    }
    if (++skipped < IDLE_ROUND_EVERY) return false;
    skipped = 0;
    return true;
  };
}
