'use client';
// /join/<token>: the enroll link. Shows the class, asks the learner to sign in first if needed, then joins.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { ClassSummary } from '../../../lab-runner/wire/classroom.ts';
import { api, ApiError } from './api.ts';
import styles from './classroom.module.css';

export function JoinClass({ token }: { token: string }) {
  const [c, setC] = useState<ClassSummary | undefined>();
  const [error, setError] = useState<{ status: number; message: string } | undefined>();
  const router = useRouter();
  useEffect(() => {
    api<{ class: ClassSummary }>(`/api/classes/join?token=${encodeURIComponent(token)}`).then(
      (r) => setC(r.class),
      (e: ApiError) => setError({ status: e.status, message: e.message }),
    );
  }, [token]);
  if (error?.status === 401)
    return (
      <p>
        <Link href={`/signin?returnTo=${encodeURIComponent(`/join/${token}`)}`} data-testid="join-sign-in">
          Sign in to join this class
        </Link>
      </p>
    );
  if (error)
    return (
      <p className={styles.error} role="alert">
        {error.message}
      </p>
    );
  if (!c) return <p>Loading…</p>;
  return (
    <div className={styles.card}>
      <h2>{c.name}</h2>
      <p>
        {new Date(c.startsAt).toLocaleString()} – {new Date(c.endsAt).toLocaleString()} · {c.lessons.length} lessons
      </p>
      <button
        className={styles.button}
        type="button"
        onClick={async () => {
          try {
            await api('/api/classes/join', { body: { token } });
            router.push(`/classes/${c.id}`);
          } catch (e) {
            setError({
              status: (e as ApiError).status,
              message: (e as Error).message,
            });
          }
        }}
      >
        Join this class
      </button>
    </div>
  );
}
