'use client';
// /classes/<id>: the trainer's dashboard for a class they teach, the learner's path for a class they joined.
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { LearnerClassView, TrainerClassView } from '../../../lab-runner/wire/classroom.ts';
import { api, ApiError } from './api.ts';
import { LearnerClass } from './learner-class.tsx';
import { TrainerDashboard } from './trainer-dashboard.tsx';
import styles from './classroom.module.css';

type View = { role: 'trainer'; class: TrainerClassView } | { role: 'learner'; class: LearnerClassView };

export function ClassPage({ classId }: { classId: string }) {
  const [view, setView] = useState<View | undefined>();
  const [error, setError] = useState<{ status: number; message: string } | undefined>();
  useEffect(() => {
    api<View>(`/api/classes/${classId}`).then(setView, (e: ApiError) => setError({ status: e.status, message: e.message }));
  }, [classId]);
  if (error?.status === 401) return <Link href={`/signin?returnTo=${encodeURIComponent(`/classes/${classId}`)}`}>Sign in to see this class</Link>;
  if (error)
    return (
      <p className={styles.error} role="alert">
        {error.message}
      </p>
    );
  if (!view) return <p>Loading…</p>;
  return view.role === 'trainer' ? <TrainerDashboard c={view.class} /> : <LearnerClass c={view.class} />;
}
