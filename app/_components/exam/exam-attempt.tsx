'use client';
// One exam attempt. While it runs: one timer (the server's clock decides), the task list with "flag for review", the
// selected task's description and a terminal per target of its lab, and Submit. When it is graded (submitted, or the
// time ran out: the server grades it then), the score, each task's verdict (observed vs expected), its solution and a
// link to the lesson that teaches it.
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { ExamAttemptView, ExamTaskView } from '../../../lab-runner/wire/practice.ts';
import { formatLeft } from '../practice/lab-clock.tsx';
import { attemptTicketUrl, flagTask, getAttempt, submitAttempt } from './exam-client.ts';
import styles from './exam.module.css';

const LabTerminal = dynamic(() => import('../terminal/lab-terminal.tsx'), { ssr: false, loading: () => <p className={styles.muted}>Loading the terminal…</p> });

const POLL_MS = 10_000;
const noop = () => () => {};

export function ExamAttempt({ attemptId }: { attemptId: string }) {
  const [attempt, setAttempt] = useState<{ view: ExamAttemptView; skew: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [selected, setSelected] = useState(0);
  const [target, setTarget] = useState<string | undefined>();
  const [submitting, setSubmitting] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  const take = useCallback((view: ExamAttemptView) => setAttempt({ view, skew: view.serverNow - Date.now() }), []);
  const refresh = useCallback(() => {
    getAttempt(attemptId).then(take, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [attemptId, take]);

  const running = attempt?.view.state === 'running';
  const left = attempt ? attempt.view.endsAt - (now + attempt.skew) : undefined;
  const timeUp = running && left !== undefined && left <= 0;
  useEffect(() => {
    const t = setTimeout(refresh, 0);
    return () => clearTimeout(t);
  }, [refresh]);
  useEffect(() => {
    if (!running) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const poll = setInterval(refresh, timeUp ? 2000 : POLL_MS);
    return () => {
      clearInterval(tick);
      clearInterval(poll);
    };
  }, [running, timeUp, refresh]);

  if (error && !attempt)
    return (
      <p role="alert" className={styles.error}>
        {error}
      </p>
    );
  if (!attempt) return <p className={styles.muted}>Loading the attempt…</p>;
  const v = attempt.view;

  if (v.state === 'graded') return <Results view={v} />;

  const task = v.tasks[selected] ?? v.tasks[0]!;
  const activeTarget = task.targets.some((t) => t.name === target) ? target : task.targets[0]?.name;
  const submit = async () => {
    setSubmitting(true);
    try {
      take(await submitAttempt(attemptId));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setSubmitting(false);
    }
  };
  const flag = async (t: ExamTaskView) => {
    // Shown at once (a checkbox must follow the click), then confirmed by the server's answer.
    setAttempt((a) => (a ? { ...a, view: { ...a.view, tasks: a.view.tasks.map((x) => (x.index === t.index ? { ...x, flagged: !t.flagged } : x)) } } : a));
    try {
      take(await flagTask(attemptId, t.index, !t.flagged));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      refresh();
    }
  };

  return (
    <div className={styles.attempt}>
      <header className={styles.attemptHead}>
        <h1 className={styles.titleSmall}>{v.exam.title}</h1>
        <span className={styles.timer} role="timer" aria-live="off" data-testid="exam-timer">
          {timeUp ? 'Time is up — grading…' : `${formatLeft(left ?? 0)} left`}
        </span>
        <button type="button" className={styles.primary} onClick={() => void submit()} disabled={submitting || timeUp} data-testid="exam-submit">
          {submitting ? 'Grading…' : 'Submit'}
        </button>
      </header>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <div className={styles.attemptBody}>
        <nav aria-label="Tasks" className={styles.taskList}>
          <ol>
            {v.tasks.map((t) => (
              <li key={t.index} data-testid="exam-task" data-flagged={t.flagged ? 'true' : 'false'}>
                <button
                  type="button"
                  className={t.index === task.index ? styles.taskCurrent : styles.taskButton}
                  aria-current={t.index === task.index ? 'true' : undefined}
                  onClick={() => setSelected(t.index)}
                >
                  {t.index + 1}. {t.title}
                </button>
                <label className={styles.flag}>
                  <input type="checkbox" checked={t.flagged} onChange={() => void flag(t)} /> flag for review
                </label>
              </li>
            ))}
          </ol>
        </nav>
        <section className={styles.taskPane} aria-label={`Task ${task.index + 1}`}>
          <h2>
            Task {task.index + 1}: {task.title}
          </h2>
          <div className={styles.description} dangerouslySetInnerHTML={{ __html: task.descriptionHtml }} />
          <div role="tablist" aria-label="Lab targets" className={styles.tabs}>
            {task.targets.map((t) => (
              <button key={t.name} role="tab" type="button" aria-selected={t.name === activeTarget} className={styles.tab} onClick={() => setTarget(t.name)}>
                {t.title}
              </button>
            ))}
          </div>
          <div className={styles.terminal}>
            {activeTarget && (
              <LabTerminal
                key={`${task.labId}:${activeTarget}`}
                labId={task.labId}
                target={activeTarget}
                title={activeTarget}
                active
                onStatus={() => {}}
                register={noop}
                ticketUrl={attemptTicketUrl(attemptId, task.index)}
              />
            )}
          </div>
        </section>
      </div>
    </div>
  );
}

function Results({ view }: { view: ExamAttemptView }) {
  return (
    <div className={styles.results} data-testid="exam-results">
      <p className={styles.eyebrow}>{view.endedBy === 'timeout' ? 'Time ran out: graded as it stood' : 'Submitted'}</p>
      <h1 className={styles.title}>{view.exam.title}</h1>
      <p className={styles.score} data-testid="exam-score">
        Score: {view.score}/{view.total}
      </p>
      <ol className={styles.resultList}>
        {view.tasks.map((t) => (
          <li key={t.index} data-testid="exam-result" data-passed={t.verdict?.passed ? 'true' : 'false'}>
            <h2>
              {t.verdict?.passed ? '✓' : '✗'} {t.title}
            </h2>
            {t.verdict && !t.verdict.passed && (
              <div className={styles.verdict}>
                <p>
                  {t.verdict.brokenInvariant ? `"${t.verdict.brokenInvariant}" did not hold: ` : ''}
                  {t.verdict.summary}
                </p>
                {(t.verdict.expected !== undefined || t.verdict.observed !== undefined) && (
                  <dl>
                    <dt>expected</dt>
                    <dd>{t.verdict.expected ?? '—'}</dd>
                    <dt>observed</dt>
                    <dd>{t.verdict.observed ?? '—'}</dd>
                  </dl>
                )}
              </div>
            )}
            <details>
              <summary>Solution</summary>
              <div dangerouslySetInnerHTML={{ __html: t.solutionHtml ?? '' }} />
            </details>
            {t.lesson && (
              <p>
                Taught in <a href={t.lesson.href}>{t.lesson.title}</a>
              </p>
            )}
          </li>
        ))}
      </ol>
      <p>
        <Link href="/exam">Back to the exams</Link>
      </p>
    </div>
  );
}
