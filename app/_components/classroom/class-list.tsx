'use client';
// /classes: a trainer's classes (with the create form), and the classes a learner joined (and a code field).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import type { ClassSummary, TrainerClassView } from '../../../lab-runner/wire/classroom.ts';
import { api, ApiError, type Me } from './api.ts';
import styles from './classroom.module.css';

export interface LessonOption {
  id: string;
  title: string;
}

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function ClassList({ lessons }: { lessons: LessonOption[] }) {
  const [me, setMe] = useState<Me | undefined>();
  const [list, setList] = useState<{ teaching: TrainerClassView[]; joined: ClassSummary[] } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const router = useRouter();
  const [defaults] = useState(() => ({
    startsAt: toLocalInput(Date.now()),
    endsAt: toLocalInput(Date.now() + 4 * 3_600_000),
  }));
  const load = useCallback(() => {
    api<{ teaching: TrainerClassView[]; joined: ClassSummary[] }>('/api/classes').then(setList, (e: ApiError) =>
      setError(e.status === 401 ? 'Sign in to see your classes.' : e.message),
    );
  }, []);
  useEffect(() => {
    api<Me>('/api/auth/me').then(setMe, () => undefined);
    load();
  }, [load]);

  const create = async (form: FormData) => {
    setError(undefined);
    try {
      const chosen = form.getAll('lessons').map(String);
      await api('/api/classes', {
        body: {
          name: String(form.get('name')),
          lessons: chosen,
          startsAt: new Date(String(form.get('startsAt'))).toISOString(),
          endsAt: new Date(String(form.get('endsAt'))).toISOString(),
          capacity: Number(form.get('capacity')),
          prewarm: form.get('prewarm') === 'on',
        },
      });
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const joinByCode = async (form: FormData) => {
    setError(undefined);
    try {
      const { class: c } = await api<{ class: ClassSummary }>('/api/classes/join', { body: { code: String(form.get('code')).trim() } });
      router.push(`/classes/${c.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const teaches = me?.account && me.account.role !== 'learner';
  return (
    <>
      {error && (
        <p className={styles.error} role="alert">
          {error} {error.startsWith('Sign in') && <Link href="/signin?returnTo=/classes">Sign in</Link>}
        </p>
      )}
      {list && teaches && (
        <section aria-labelledby="teaching">
          <h2 id="teaching">Classes you teach</h2>
          {list.teaching.length === 0 && <p>None yet.</p>}
          <ul>
            {list.teaching.map((c) => (
              <li key={c.id}>
                <Link href={`/classes/${c.id}`}>{c.name}</Link> — {c.enrolled}/{c.capacity} learners, code <span className={styles.code}>{c.shortCode}</span>
              </li>
            ))}
          </ul>
          <form className={`${styles.form} ${styles.card}`} action={create} aria-label="New class">
            <h3>New class</h3>
            <label>
              Name <input name="name" required maxLength={120} />
            </label>
            <fieldset>
              <legend>Lessons, in order</legend>
              {lessons.map((l) => (
                <label key={l.id} className={styles.row}>
                  <input type="checkbox" name="lessons" value={l.id} /> {l.title}
                </label>
              ))}
            </fieldset>
            <label>
              Starts <input name="startsAt" type="datetime-local" required defaultValue={defaults.startsAt} />
            </label>
            <label>
              Ends <input name="endsAt" type="datetime-local" required defaultValue={defaults.endsAt} />
            </label>
            <label>
              Capacity <input name="capacity" type="number" min={1} max={1000} defaultValue={20} required />
            </label>
            <label className={styles.row}>
              <input name="prewarm" type="checkbox" /> Start every learner&apos;s first lab 10 minutes before the class
            </label>
            <button className={styles.button} type="submit">
              Create class
            </button>
          </form>
        </section>
      )}
      {list && (
        <section aria-labelledby="joined">
          <h2 id="joined">Classes you joined</h2>
          {list.joined.length === 0 && <p>None yet.</p>}
          <ul>
            {list.joined.map((c) => (
              <li key={c.id}>
                <Link href={`/classes/${c.id}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
          <form className={`${styles.form} ${styles.card}`} action={joinByCode} aria-label="Join a class">
            <label>
              Class code <input name="code" required pattern="[A-Za-z0-9]{8}" autoComplete="off" />
            </label>
            <button className={styles.button} type="submit">
              Join
            </button>
          </form>
        </section>
      )}
    </>
  );
}
