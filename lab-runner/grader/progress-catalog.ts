// Per-lesson progress for the catalog page: every lesson with a challenge, touched or not.
import type { ProgressStore } from '../store/progress-store.ts';
import type { LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import type { LessonProgressSummary } from '../wire/challenge.ts';

export async function progressCatalog(learnerId: string, deps: { lessons: LessonChallengeSource; progress: ProgressStore }): Promise<LessonProgressSummary[]> {
  const [lessons, progress] = await Promise.all([deps.lessons.list({ skipInvalid: true }), deps.progress.allLessonProgress(learnerId)]);
  return lessons.map((l) => {
    const p = progress.find((x) => x.lesson === l.lesson);
    const total = l.challenge.tasks.length;
    const completedAt = p?.completedAt;
    return {
      lesson: l.lesson,
      title: l.title,
      href: l.href,
      passed: completedAt !== undefined ? total : Math.min(p?.bestPassed ?? 0, total),
      total,
      ...(completedAt !== undefined ? { completedAt } : {}),
    };
  });
}
