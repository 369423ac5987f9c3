'use client';
// The exams to pick from, and the learner's past attempts with their scores.
import { useEffect, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ExamAttemptSummaryView, ExamSummaryView } from '../../../lab-runner/wire/practice.ts';
import { listExams, startExam } from './exam-client.ts';
import styles from './exam.module.css';

export function ExamList() {
  const router = useRouter();
  const [data, setData] = useState<{ exams: ExamSummaryView[]; attempts: ExamAttemptSummaryView[] } | undefined>();
  const [starting, setStarting] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    listExams().then(setData, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, []);
  const start = async (slug: string) => {
    setStarting(slug);
    setError(undefined);
    try {
      const attempt = await startExam(slug);
      router.push(`/exam/${attempt.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setStarting(undefined);
    }
  };
  const titleOf = (slug: string) => data?.exams.find((e) => e.slug === slug)?.title ?? slug;
  return (
    <>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      {!data && !error && <p className={styles.muted}>Loading the exams…</p>}
      <ul className={styles.cards}>
        {data?.exams.map((e) => (
          <li key={e.slug} className={styles.card} data-testid="exam-card" data-exam={e.slug}>
            <h2>{e.title}</h2>
            <p className={styles.muted}>
              {e.tasks} tasks, {e.minutes} minutes
            </p>
            {e.description && <p>{e.description}</p>}
            <button type="button" className={styles.primary} disabled={starting !== undefined} onClick={() => void start(e.slug)}>
              {starting === e.slug ? 'Preparing your labs…' : 'Start the exam'}
            </button>
          </li>
        ))}
      </ul>
      {data && data.attempts.length > 0 && (
        <section aria-labelledby="past-attempts">
          <h2 id="past-attempts">Your attempts</h2>
          <ul className={styles.attempts}>
            {data.attempts.map((a) => (
              <li key={a.id} data-testid="exam-attempt-row">
                <Link href={`/exam/${a.id}`}>{titleOf(a.exam)}</Link> — {new Date(a.startedAt).toLocaleString()} —{' '}
                {a.state === 'graded' ? (
                  <strong>
                    {a.score}/{a.total}
                  </strong>
                ) : (
                  'in progress'
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
