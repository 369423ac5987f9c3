'use client';
// Sign in (or create an account) with email and password, or with single sign-on: whichever the site runs.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { api, type Me } from './api.ts';
import styles from './classroom.module.css';

function safeReturnTo(): string {
  const r = new URLSearchParams(window.location.search).get('returnTo') ?? '/classes';
  return /^\/(?![/\\])/.test(r) ? r : '/classes';
}

export function SignInForm() {
  const [me, setMe] = useState<Me | undefined>();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [error, setError] = useState<string | undefined>();
  const router = useRouter();
  useEffect(() => {
    api<Me>('/api/auth/me').then(
      (m) => {
        setMe(m);
        // A single sign-on that failed comes back here with better-auth's error code (state mismatch, provider refusal…).
        const failed = new URLSearchParams(window.location.search).get('error');
        if (failed) setError(`Single sign-on did not complete (${failed.slice(0, 80)}). Try again.`);
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  if (!me) return <p>{error ?? 'Loading…'}</p>;
  if (me.mode === 'anonymous') return <p>This site has no accounts (AUTH=anonymous): your progress is kept in this browser.</p>;
  const sso = (
    <a className={styles.button} href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(safeReturnTo())}`} data-testid="sso-sign-in">
      Sign in with single sign-on
    </a>
  );
  if (me.mode === 'oidc')
    return (
      <div className={styles.card}>
        <p>Sign in with your organisation&apos;s account. Your progress on this browser so far is kept.</p>
        {error && (
          <p className={styles.error} role="alert">
            {error}
          </p>
        )}
        {sso}
      </div>
    );
  const submit = async (form: FormData) => {
    setError(undefined);
    try {
      const body = {
        email: String(form.get('email')),
        password: String(form.get('password')),
        ...(mode === 'register' ? { name: String(form.get('name')) } : {}),
      };
      await api(mode === 'login' ? '/api/auth/login' : '/api/auth/register', {
        body,
      });
      router.push(safeReturnTo());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      {me.sso && <div className={styles.card}>{sso}</div>}
      <form className={`${styles.form} ${styles.card}`} action={submit}>
        {mode === 'register' && (
          <label>
            Name <input name="name" required maxLength={100} autoComplete="name" />
          </label>
        )}
        <label>
          Email <input name="email" type="email" required autoComplete="email" />
        </label>
        <label>
          Password{' '}
          <input
            name="password"
            type="password"
            required
            minLength={mode === 'register' ? 10 : 1}
            autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          />
        </label>
        {error && (
          <p className={styles.error} role="alert">
            {error}
          </p>
        )}
        <div className={styles.row}>
          <button className={styles.button} type="submit">
            {mode === 'login' ? 'Sign in' : 'Create account'}
          </button>
          <button className={styles.secondary} type="button" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
            {mode === 'login' ? 'Create an account instead' : 'I have an account'}
          </button>
        </div>
      </form>
    </>
  );
}
