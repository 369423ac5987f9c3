'use client';
// "No lost work" in the lab pane's header: the time the lab has left, a warning with Extend ten minutes before it would
// be destroyed (time limit or idle), and, once it is gone, what happened and a way back ("Rewind to where you were").
// The server's clock decides (serverNow in each answer); the page only counts down between polls.
import { useCallback, useEffect, useState } from 'react';
import type { LabTimeView } from '../../../lab-runner/wire/practice.ts';
import { useLabActions, useLabState } from '../lab/lab-session.tsx';
import { labOf } from '../lab/lab-session-state.ts';
import { extendLab, labTime } from './practice-client.ts';
import styles from './lab-clock.module.css';

const POLL_MS = 30_000;
/** Near the end, or once the lab may be gone, ask more often. */
const POLL_NEAR_END_MS = 5_000;

export function formatLeft(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function LabClock({ lessonId }: { lessonId?: string }) {
  const status = useLabState()?.state.status;
  const actions = useLabActions();
  const phase = status?.phase;
  const lab = status ? labOf(status) : null;
  const liveId = lab && (lab.state === 'ready' || lab.state === 'paused') ? lab.id : undefined;
  // A rewind replaces the lab in front (resetting) or brings a gone one back (starting from none).
  const rebuilding = phase === 'resetting' || (phase === 'starting' && !lab);
  // The last live lab this page saw: when it goes away the page asks why (state adjusted while rendering, not in an effect).
  const [lastLab, setLastLab] = useState<string | undefined>();
  if (liveId && liveId !== lastLab) setLastLab(liveId);
  // A lab the learner stopped themselves: nothing was lost, nothing to say.
  const [stoppedLab, setStoppedLab] = useState<string | undefined>();
  if (phase === 'stopping' && liveId && stoppedLab !== liveId) setStoppedLab(liveId);
  const [time, setTime] = useState<{ view: LabTimeView; skew: number } | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const labId = liveId ?? lastLab;
  const stoppedByLearner = stoppedLab !== undefined && stoppedLab === labId;

  const poll = useCallback(async () => {
    if (!labId) return;
    try {
      const view = await labTime(labId);
      setTime({ view, skew: view.serverNow - Date.now() });
      setError(undefined);
    } catch {
      // A failed poll changes nothing on screen; the next one may answer.
    }
  }, [labId]);

  useEffect(() => {
    const t = setTimeout(() => void poll(), 0); // at once when the lab changes, then on the interval below
    return () => clearTimeout(t);
  }, [poll, liveId]);
  const serverNow = now + (time?.skew ?? 0);
  const nearEnd = time?.view.state === 'live' && serverNow >= time.view.warnFrom;
  useEffect(() => {
    const t = setInterval(() => void poll(), nearEnd || !liveId ? POLL_NEAR_END_MS : POLL_MS);
    return () => clearInterval(t);
  }, [poll, nearEnd, liveId]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const extend = async () => {
    if (!labId) return;
    setBusy(true);
    try {
      const view = await extendLab(labId);
      setTime({ view, skew: view.serverNow - Date.now() });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (!time || time.view.labId !== labId) return null;
  const v = time.view;
  if (v.state === 'pending') return null;
  if (v.state === 'gone') {
    // Shown even while the page still holds the lab as live: a lab removed by the reaper ends its shells as "exited",
    // which the lab session does not take for the end of the lab.
    if (stoppedByLearner || v.why === 'stopped') return null;
    const what =
      v.why === 'expired'
        ? 'Your lab reached its time limit and was removed.'
        : v.why === 'idle'
          ? 'Your lab was removed after a long time without input.'
          : v.why === 'failed'
            ? `Your lab failed (${v.detail}).`
            : `Your lab was removed (${v.detail}).`;
    const short = v.why === 'expired' ? 'Lab expired' : v.why === 'idle' ? 'Lab removed (idle)' : v.why === 'failed' ? 'Lab failed' : 'Lab removed';
    return (
      <div className={styles.notice} role="alert" data-testid="lab-gone" data-why={v.why} title={`${what} Your progress is saved.`}>
        <span>
          {short}
          <span className="visually-hidden">: {what} Your progress is saved.</span>
        </span>
        {lessonId && (
          <button type="button" className={styles.button} disabled={rebuilding || !actions} onClick={() => void actions?.rewind(undefined, labId)}>
            {rebuilding ? 'Rebuilding…' : 'Rewind to where you were'}
          </button>
        )}
      </div>
    );
  }
  if (!liveId) return null;
  const left = v.endsAt - serverNow;
  if (serverNow < v.warnFrom) {
    return (
      <span
        className={styles.left}
        data-testid="lab-time-left"
        title={`The lab is removed ${v.endsBy === 'idle' ? 'after 2 hours without input' : 'at its time limit'}`}
      >
        {formatLeft(left)} left
      </span>
    );
  }
  const why = v.endsBy === 'idle' ? 'Your lab has had no input for a while and will be removed' : 'Your lab reaches its time limit and will be removed';
  return (
    <div
      className={styles.notice}
      role="alert"
      data-testid="lab-expiry-warning"
      data-ends-by={v.endsBy}
      title={`${why} in ${formatLeft(left)}. Extend keeps it.`}
    >
      <span>
        <span className="visually-hidden">{why} in </span>
        Lab ends in <strong data-testid="lab-time-left">{formatLeft(left)}</strong>
      </span>
      <button
        type="button"
        className={styles.button}
        onClick={() => void extend()}
        disabled={busy || !v.canExtend}
        title={v.canExtend ? undefined : 'The lab is at its longest allowed lifetime'}
      >
        {busy ? 'Extending…' : v.canExtend ? 'Extend' : 'At the limit'}
      </button>
      {error && <span role="status">{error}</span>}
    </div>
  );
}
