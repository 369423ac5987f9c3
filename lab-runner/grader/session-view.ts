// The ChallengeView a session's pages get: the session's grading state, the learner's progress and the lab's setup
// (or, when another lesson owns the lab, which one).
import type { ProgressStore } from '../store/progress-store.ts';
import { challengeView } from './challenge-view.ts';
import type { ChallengeView } from '../wire/challenge.ts';
import type { Clock } from './grading-loop.ts';
import type { SessionEntry } from './grading-sessions.ts';
import type { LabSetups } from './lab-setups.ts';
import type { LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import { otherLesson, setupStatus } from './setup-state.ts';

export interface SessionViewDeps {
  setups: LabSetups;
  progress: ProgressStore;
  lessons: LessonChallengeSource;
  clock: Clock;
}

export async function sessionView(entry: SessionEntry, deps: SessionViewDeps): Promise<ChallengeView> {
  const { labId, lesson, learnerId } = entry.session.key;
  const setup = deps.setups.current(labId);
  const other = otherLesson(setup, lesson);
  const [state, progress, otherChallenge] = await Promise.all([
    entry.session.state(),
    deps.progress.lessonProgress(learnerId, lesson),
    other === undefined ? undefined : deps.lessons.get(other).catch(() => undefined),
  ]);
  return challengeView({
    lesson,
    labId,
    challenge: entry.lesson.challenge,
    state,
    progress,
    setup:
      other !== undefined
        ? { status: 'other-lesson', lesson: { lesson: other, title: otherChallenge?.title ?? other, ...(otherChallenge ? { href: otherChallenge.href } : {}) } }
        : setupStatus(setup),
    checking: entry.session.busy,
    now: deps.clock.now(),
  });
}
