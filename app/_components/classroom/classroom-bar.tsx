'use client';
// Under the top bar on every page, only when the site has accounts (AUTH=accounts|oidc): who is signed in, the
// classes link, "Ask for help", and the live banner (class messages, "your trainer is watching", lab reset notices).
// With AUTH=anonymous it renders nothing and opens no stream: the single learner on a laptop sees today's site.
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { ClassMessageView, LearnerEvent } from '../../../lab-runner/wire/classroom.ts';
import { api, type Me } from './api.ts';
import styles from './classroom.module.css';

export function ClassroomBar() {
  const [me, setMe] = useState<Me | undefined>();
  const [banner, setBanner] = useState<ClassMessageView | undefined>();
  const [direct, setDirect] = useState<ClassMessageView | undefined>();
  const [watching, setWatching] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [classes, setClasses] = useState<{ id: string; name: string }[]>([]);
  const [helpSent, setHelpSent] = useState(false);
  const pathname = usePathname();
  const router = useRouter();

  // Again after each navigation: signing in or out happens on another page of this single-page app.
  useEffect(() => {
    api<Me>('/api/auth/me').then(setMe, () => setMe(undefined));
  }, [pathname]);

  const accountId = me?.account?.id;
  useEffect(() => {
    if (!accountId) return;
    const es = new EventSource('/api/classroom/stream');
    const on = (e: MessageEvent<string>) => {
      const ev = JSON.parse(e.data) as LearnerEvent;
      if (ev.type === 'hello') {
        setClasses(ev.classes);
        const last = ev.messages.filter((m) => m.scope === 'class').at(-1);
        if (last) setBanner(last);
      } else if (ev.type === 'message') {
        if (ev.message.scope === 'class') setBanner(ev.message);
        else setDirect(ev.message);
      } else if (ev.type === 'watching') setWatching(ev.watching ? (ev.by ?? 'your trainer') : undefined);
      else if (ev.type === 'lab')
        setNotice(
          ev.action === 'reset'
            ? 'Your trainer reset your lab: reconnect the terminal to continue.'
            : `Your trainer extended your lab until ${new Date(ev.expiresAt ?? 0).toLocaleTimeString()}.`,
        );
    };
    for (const t of ['hello', 'message', 'watching', 'lab']) es.addEventListener(t, on as EventListener);
    return () => es.close();
  }, [accountId]);

  if (!me || me.mode === 'anonymous') return null;
  const returnTo = pathname ?? '/';
  const askHelp = async () => {
    const lesson = /^\/learn\/([a-z0-9-]+\/[a-z0-9-]+)/.exec(window.location.pathname)?.[1];
    for (const c of classes)
      await api(`/api/classes/${c.id}/help`, {
        body: lesson ? { lesson } : {},
      }).catch(() => undefined);
    setHelpSent(true);
  };
  return (
    <div data-testid="classroom-bar">
      <div className={styles.bar}>
        {me.account ? (
          <>
            <span>
              Signed in as <strong data-testid="account-name">{me.account.name}</strong>
              {me.account.role !== 'learner' ? ` (${me.account.role})` : ''}
            </span>
            <Link href="/classes">Classes</Link>
            {classes.length > 0 && (
              <button type="button" className={styles.secondary} onClick={askHelp} disabled={helpSent}>
                {helpSent ? 'Help is on its way' : 'Ask for help'}
              </button>
            )}
            {watching && (
              <span className={styles.watching} data-testid="trainer-watching" role="status">
                ● {watching} is watching your terminal
              </span>
            )}
            <span className={styles.spacer} />
            <button
              type="button"
              className={styles.secondary}
              onClick={async () => {
                await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
                setMe({ ...me, account: null });
                router.push('/');
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <>
            <span className={styles.spacer} />
            <Link href={`/signin?returnTo=${encodeURIComponent(returnTo)}`}>Sign in</Link>
          </>
        )}
      </div>
      {banner && (
        <div className={styles.banner} role="status" data-testid="class-banner">
          <strong>{banner.from}:</strong> {banner.body}
        </div>
      )}
      {direct && (
        <div className={styles.banner} role="status" data-testid="direct-message">
          <strong>{direct.from} (to you):</strong> {direct.body}
        </div>
      )}
      {notice && (
        <div className={styles.banner} role="status" data-testid="lab-notice">
          {notice}
        </div>
      )}
    </div>
  );
}
