'use client';
// Lab pane header: where the lab is (starting step, ready, resetting…) and the Reset / Stop buttons.
import { useState } from 'react';
import { errorOf, labOf, type LabPhase, type LabStatus } from './lab-session-state.ts';
import { useLabActions, useLabState } from './lab-session.tsx';
import styles from './lab-controls.module.css';

export function LabStatusText({ status, preparedForOther }: { status: LabStatus; preparedForOther: boolean }) {
  const { phase } = status;
  const lab = labOf(status);
  if (phase === 'starting' && lab?.progress) {
    const p = lab.progress;
    return (
      <span className={styles.status} data-phase={phase} data-testid="lab-status">
        Starting {p.step}/{p.totalSteps}: {p.label}
      </span>
    );
  }
  const text: Record<LabPhase, string> = {
    checking: 'Looking for your lab…',
    idle: 'Not started',
    starting: 'Starting…',
    ready: lab?.state === 'paused' ? 'Paused (resumes when you type)' : 'Ready',
    resetting: 'Resetting…',
    stopping: 'Stopping…',
    unavailable: 'Labs unavailable',
  };
  // Labs are per sandbox: say when this one was set up for another lesson (the Challenge tab offers the reset).
  const other = phase === 'ready' && preparedForOther ? lab?.preparedFor?.title : undefined;
  return (
    <span className={styles.status} data-phase={phase} data-testid="lab-status">
      {text[phase]}
      {other ? ` · set up for ${other}` : ''}
    </span>
  );
}

export function LabControls() {
  const session = useLabState();
  const actions = useLabActions();
  const [confirming, setConfirming] = useState<'reset' | 'stop' | undefined>();
  if (!session || !actions) return null;
  const { status } = session.state;
  const busy = status.phase === 'resetting' || status.phase === 'stopping';
  const statusText = <LabStatusText status={status} preparedForOther={session.preparedForOther} />;
  if (!labOf(status) || status.phase === 'starting' || status.phase === 'checking') return statusText;
  if (confirming) {
    return (
      <span className={styles.confirm} role="group" aria-label={confirming === 'reset' ? 'Confirm reset' : 'Confirm stop'}>
        <span className={styles.question}>{confirming === 'reset' ? 'Fresh nodes? Changes are lost.' : 'Stop and delete this lab?'}</span>
        <button
          type="button"
          className={`${styles.control} ${styles.danger}`}
          onClick={() => {
            setConfirming(undefined);
            void (confirming === 'reset' ? actions.reset() : actions.stop());
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
  const error = errorOf(status);
  return (
    <>
      {error ? (
        <span className={styles.error} role="alert" title={error}>
          {error}
        </span>
      ) : (
        statusText
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
export function LabProgress({ status }: { status: LabStatus }) {
  if (status.phase !== 'starting') return null;
  const p = status.lab?.progress;
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
