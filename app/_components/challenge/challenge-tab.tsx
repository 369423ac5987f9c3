'use client';
// The challenge as a tab of the lab pane: takes the lab id, reset and reset generation from the lab session.
// The panel grades only a ready lab; while the lab starts, resets or is stopped it shows what to do.
import { useLabSession } from '../lab/lab-session.tsx';
import { ChallengePanel } from './challenge-panel.tsx';

export function ChallengeTab({ lessonId }: { lessonId: string }) {
  const session = useLabSession();
  const ready = session?.lab && (session.phase === 'ready' || session.lab.state === 'paused') ? session.lab : undefined;
  return <ChallengePanel lessonId={lessonId} labId={ready?.id} generation={session?.generation ?? 0} onResetLab={session ? () => session.reset() : undefined} onRewind={session ? (taskId) => session.rewind(taskId) : undefined} />;
}
