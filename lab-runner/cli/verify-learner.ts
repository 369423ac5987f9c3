// The learner ids `lab verify` provisions under. The per-learner lab limit (LAB_MAX_PER_LEARNER, default 2) is counted
// in the store, which every process on the host shares through DATA_DIR: with fixed ids, a third `lab verify` started
// beside two others failed its lesson with "You already have 2 running labs". Each run names its own learner.
import { randomBytes } from 'node:crypto';

/** One run's learner ids: one per worker, all carrying the run's random tag (shown in `npm run lab -- list`). */
export function verifyLearners(kind: 'lesson' | 'exam', tag: string = randomBytes(3).toString('hex')): (worker: number) => string {
  const base = kind === 'exam' ? `lab-verify-exam-${tag}` : `lab-verify-${tag}`;
  return (worker) => `${base}-${worker + 1}`;
}
