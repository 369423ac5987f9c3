'use client';
// "Rewind to before this task", with a confirmation: the lab's nodes are replaced (what the learner typed since is
// lost), the lesson's setup runs again with the same faults, and the solutions of the tasks passed before it are
// replayed. Passes already recorded stay in the learner's progress.
import { useState } from 'react';
import styles from '../challenge/challenge-panel.module.css';

export function RewindButton({ taskId, onRewind }: { taskId: string; onRewind: (taskId: string) => Promise<void> }) {
  const [state, setState] = useState<'idle' | 'confirming' | 'running'>('idle');
  if (state === 'confirming')
    return (
      <div role="group" aria-label="Confirm rewind" className={styles.confirm}>
        <span>Rebuild the lab as it was when this task began? Changes made since are lost; your recorded progress stays.</span>
        <button
          type="button"
          className={`${styles.button} ${styles.danger}`}
          autoFocus
          onClick={() => {
            setState('running');
            void onRewind(taskId).finally(() => setState('idle'));
          }}
        >
          Rewind
        </button>
        <button type="button" className={styles.button} onClick={() => setState('idle')}>
          Cancel
        </button>
      </div>
    );
  return (
    <div className={styles.taskActions}>
      <button type="button" className={styles.linkButton} data-testid="task-rewind" disabled={state === 'running'} onClick={() => setState('confirming')}>
        {state === 'running' ? 'Rewinding…' : 'Rewind to before this task'}
      </button>
    </div>
  );
}
