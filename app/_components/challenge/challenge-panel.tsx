'use client';
// The challenge panel beside a lesson: tasks with live status, verdicts, hints, solutions, reset and progress.
// Grading is automatic while it is open (server-side loop over SSE); "Check" asks for an immediate round.
// Keyboard: every control is a real button; status changes are announced through a polite live region.
import { useEffect, useRef, useState } from 'react';
import { TaskItem } from './task-item.tsx';
import { useChallenge } from './use-challenge.ts';
import type { SetupLesson } from '../../../lab-runner/wire/challenge.ts';
import styles from './challenge-panel.module.css';

export interface ChallengePanelProps {
  /** "pods/pods-and-network-namespaces" */
  lessonId: string;
  /** The learner's running lab for this lesson; the panel waits while it is undefined. */
  labId?: string;
  /** Bumped by the lab session on every reset: the panel reconnects to the fresh lab. */
  generation?: number;
  /** Replace the lab with a fresh one (setup re-run). Provided by the lab owner, which also reconnects terminals. */
  onResetLab?: () => Promise<void>;
  /** Rebuild the lab to before a task (practice/rewind); provided by the lab owner, which reconnects terminals. */
  onRewind?: (taskId: string) => Promise<void>;
}

export function ChallengePanel({ lessonId, labId, generation = 0, onResetLab, onRewind }: ChallengePanelProps) {
  const api = useChallenge(lessonId, labId, generation);
  const { view } = api;
  const [resetting, setResetting] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const announcer = useRef<HTMLDivElement>(null);
  const previous = useRef(new Map<string, string>());
  const announcedOther = useRef<string | undefined>(undefined);
  const now = useNow(1000);

  // Announce tasks that turned green (or broke), once each, for screen-reader users.
  useEffect(() => {
    if (!view) return;
    const messages: string[] = [];
    for (const t of view.tasks) {
      const before = previous.current.get(t.id);
      if (before && before !== t.status && t.status === 'passed') messages.push(`Task passed: ${t.title}`);
      if (before === 'passed' && t.status === 'failed') messages.push(`Task no longer passes: ${t.title}`);
      previous.current.set(t.id, t.status);
    }
    if (view.completedAt && messages.length) messages.push('Challenge complete.');
    if (view.setup === 'other-lesson' && view.setupLesson && announcedOther.current !== `${view.labId} ${view.setupLesson.lesson}`) {
      announcedOther.current = `${view.labId} ${view.setupLesson.lesson}`;
      messages.push(`This lab is set up for ${view.setupLesson.title}. Reset it for this lesson to start this challenge.`);
    }
    // Written straight to the live region (an external system to React): no re-render for an announcement.
    if (messages.length && announcer.current) announcer.current.textContent = messages.join(' ');
  }, [view]);

  if (!labId) {
    return (
      <section className={styles.panel} aria-label="Challenge">
        <p className={styles.muted}>Start the lab to begin the challenge: its tasks are checked against your lab as you work.</p>
      </section>
    );
  }

  const lastChecked = view?.lastCheckedAt !== undefined ? Math.max(0, Math.round((now + api.clockSkewMs - view.lastCheckedAt) / 1000)) : undefined;
  const pct = view && view.progress.total > 0 ? Math.round((view.progress.passed / view.progress.total) * 100) : 0;

  const reset = async () => {
    setConfirmReset(false);
    if (!onResetLab) return;
    setResetting(true);
    try {
      await onResetLab();
    } finally {
      setResetting(false);
    }
  };

  return (
    <section className={styles.panel} aria-label="Challenge" data-testid="challenge-panel">
      <header className={styles.header}>
        <div className={styles.progressRow}>
          <div
            className={styles.progressBar}
            role="progressbar"
            aria-label="Tasks passed"
            aria-valuemin={0}
            aria-valuemax={view?.progress.total ?? 0}
            aria-valuenow={view?.progress.passed ?? 0}
            aria-valuetext={view ? `${view.progress.passed} of ${view.progress.total} tasks passed` : 'loading'}
          >
            <span className={styles.progressFill} style={{ width: `${pct}%` }} />
          </div>
          <span className={styles.progressText} data-testid="challenge-progress">
            {view ? `${view.progress.passed}/${view.progress.total}` : '…'}
          </span>
        </div>
        <div className={styles.actions}>
          <button type="button" className={styles.button} onClick={() => void api.check()} disabled={api.checking || view?.setup !== 'done'}>
            {api.checking ? 'Checking…' : 'Check'}
          </button>
          {onResetLab &&
            (confirmReset ? (
              <span role="group" aria-label="Confirm lab reset" className={styles.confirm}>
                <span>Throw this lab away and start a fresh one?</span>
                <button type="button" className={`${styles.button} ${styles.danger}`} onClick={() => void reset()} autoFocus>
                  Reset lab
                </button>
                <button type="button" className={styles.button} onClick={() => setConfirmReset(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className={styles.button} onClick={() => setConfirmReset(true)} disabled={resetting}>
                {resetting ? 'Resetting…' : 'Reset lab'}
              </button>
            ))}
          <span className={styles.muted} data-testid="challenge-last-check">
            {view?.setup === 'running'
              ? 'preparing the lab…'
              : view?.setup === 'other-lesson'
                ? 'not checked: the lab is set up for another lesson'
                : lastChecked === undefined
                  ? api.connected
                    ? 'waiting for the first check…'
                    : 'connecting…'
                  : `checked ${lastChecked} s ago`}
          </span>
        </div>
      </header>
      {api.error && (
        <p role="alert" className={styles.error}>
          {api.error}
        </p>
      )}
      {view?.setup === 'other-lesson' && (
        <OtherLessonNotice lesson={view.setupLesson} resetting={resetting} onReset={onResetLab ? () => void reset() : undefined} />
      )}
      {view?.setup === 'failed' && (
        <p role="alert" className={styles.error}>
          {view.setupError}
        </p>
      )}
      {view?.completedAt !== undefined && (
        <p className={styles.complete} data-testid="challenge-complete">
          Challenge complete: every task passes. Nicely done.
        </p>
      )}
      <ol className={styles.tasks}>
        {view?.tasks.map((task, i) => (
          <TaskItem
            key={task.id}
            task={task}
            number={i + 1}
            titles={new Map(view.tasks.map((t) => [t.id, t.title]))}
            onHint={api.hint}
            onSolution={api.solution}
            onRewind={onRewind}
          />
        ))}
      </ol>
      <div ref={announcer} aria-live="polite" className="visually-hidden" data-testid="challenge-announcer" />
    </section>
  );
}

/**
 * Labs are per sandbox, so a learner who moves on keeps the lab another lesson prepared. This lesson's setup has not
 * run on it and its tasks are not checked until it is reset for this lesson; the terminals keep working meanwhile.
 */
function OtherLessonNotice({ lesson, resetting, onReset }: { lesson?: SetupLesson; resetting: boolean; onReset?: () => void }) {
  const title = lesson?.title ?? 'another lesson';
  return (
    <div className={styles.otherLesson} role="group" aria-labelledby="challenge-other-lesson-text" data-testid="challenge-other-lesson">
      <p id="challenge-other-lesson-text">
        This lab is set up for{' '}
        {lesson?.href ? (
          <a href={lesson.href}>
            <em>{title}</em>
          </a>
        ) : (
          <em>{title}</em>
        )}
        . Reset it for this lesson to start this challenge.
      </p>
      <p className={styles.muted}>Your terminals keep working until then; a reset replaces the lab&apos;s nodes, so changes in them are lost.</p>
      {onReset && (
        <button type="button" className={styles.button} onClick={onReset} disabled={resetting}>
          {resetting ? 'Resetting…' : 'Reset the lab for this lesson'}
        </button>
      )}
    </div>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
