'use client';
// The challenge as a tab of the lab pane: takes the lab id, reset and reset generation from the lab session.
// The panel grades only a ready lab; while the lab starts, resets or is stopped it shows what to do.
import { labOf } from '../lab/lab-session-state.ts';
import { useLabActions, useLabState } from '../lab/lab-session.tsx';
import { ChallengePanel } from './challenge-panel.tsx';

export function ChallengeTab({ lessonId }: { lessonId: string }) {
  const session = useLabState();
  const actions = useLabActions();
  const status = session?.state.status;
  const lab = status ? labOf(status) : null;
  const ready = lab && (status?.phase === 'ready' || lab.state === 'paused') ? lab : undefined;
  return (
    <ChallengePanel
      lessonId={lessonId}
      labId={ready?.id}
      generation={session?.state.generation ?? 0}
      onResetLab={actions ? () => actions.reset() : undefined}
      onRewind={actions ? (taskId) => actions.rewind(taskId) : undefined}
    />
  );
}
