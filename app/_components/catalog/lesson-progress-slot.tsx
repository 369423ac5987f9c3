// Where a lesson's progress (tasks passed, done/in progress) appears in the catalog.
// The challenge feature mounts its indicator here (a client component; the catalog stays static).
import { LessonProgress } from '../challenge/lesson-progress.tsx';

export function LessonProgressSlot({ lessonId }: { lessonId: string }) {
  return <LessonProgress lessonId={lessonId} />;
}
