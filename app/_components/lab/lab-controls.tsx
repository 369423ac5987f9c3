'use client';
// Lab pane header: where the lab is (starting step, ready, resetting…) and the Reset / Stop buttons.
import { useState } from 'react';
import type { LabSession } from './lab-session.tsx';
import styles from './lab-controls.module.css';

export function LabStatusText({ session }: { session: LabSession }) {
  const { phase, lab } = session;
  if (phase === 'starting' && lab?.progress) {
    const p = lab.progress;
    return (
      <span className={styles.status} data-phase={phase} data-testid="lab-status">
        Starting {p.step}/{p.totalSteps}: {p.label}
      </span>
    );
  }
  const text: Record<LabSession['phase'], string> = {
    checking: 'Looking for your lab…',
    idle: 'Not started',
    starting: 'Starting…',
    ready: lab?.state === 'paused' ? 'Paused (resumes when you type)' : 'Ready',
    resetting: 'Resetting…',
    stopping: 'Stopping…',
    unavailable: 'Labs unavailable',
  };
  // Labs are per sandbox: say when this one was set up for another lesson (the Challenge tab offers the reset).
  const other = phase === 'ready' && session.preparedForOther ? session.lab?.preparedFor?.title : undefined;
  return (
    <span className={styles.status} data-phase={phase} data-testid="lab-status">
      {text[phase]}
      {other ? ` · set up for ${other}` : ''}
    </span>
  );
}

export function LabControls({ session }: { session: LabSession }) {
  const [confirming, setConfirming] = useState<'reset' | 'stop' | undefined>();
  const busy = session.phase === 'resetting' || session.phase === 'stopping';
  if (!session.lab || session.phase === 'starting' || session.phase === 'checking') return <LabStatusText session={session} />;
  if (confirming) {
    return (
      <span className={styles.confirm} role="group" aria-label={confirming === 'reset' ? 'Confirm reset' : 'Confirm stop'}>
        <span className={styles.question}>{confirming === 'reset' ? 'Fresh nodes? Changes are lost.' : 'Stop and delete this lab?'}</span>
        <button
          type="button"
          className={`${styles.control} ${styles.danger}`}
          onClick={() => {
            setConfirming(undefined);
            void (confirming === 'reset' ? session.reset() : session.stop());
          }}
        >
          {confirming === 'reset' ? 'Reset' : 'Stop'}
        </button>
        <button type="button" className={styles.control} onClick={() => setConfirming(undefined)}>
          Cancel
        </button>
      </span>
    );
  }
  return (
    <>
      {session.error ? (
        <span className={styles.error} role="alert" title={session.error}>
          {session.error}
        </span>
      ) : (
        <LabStatusText session={session} />
      )}
      <button type="button" className={styles.control} disabled={busy} onClick={() => setConfirming('reset')} title="Replace the lab's nodes with fresh ones">
        Reset lab
      </button>
      <button type="button" className={styles.control} disabled={busy} onClick={() => setConfirming('stop')} title="Stop and delete this lab">
        Stop
      </button>
    </>
  );
}

/** Provisioning steps as a bar the learner can watch. */
export function LabProgress({ session }: { session: LabSession }) {
  const p = session.lab?.progress;
  if (session.phase !== 'starting') return null;
  const fraction = p && p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
  return (
    <div className={styles.progress} data-testid="lab-progress">
      <div
        className={styles.bar}
        role="progressbar"
        aria-label="Starting the lab"
        aria-valuemin={0}
        aria-valuemax={p?.totalSteps ?? 1}
        aria-valuenow={p?.step ?? 0}
        aria-valuetext={p ? `${p.label} (${p.step} of ${p.totalSteps})` : 'Starting'}
      >
        <span className={styles.fill} style={{ width: `${Math.max(6, fraction * 100)}%` }} />
      </div>
      <p className={styles.stepLabel}>{p ? `${p.label} (${p.step}/${p.totalSteps})` : 'Asking the lab server…'}</p>
    </div>
  );
}
