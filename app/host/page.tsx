// /host: what this server can run, check by check, each with its fix. The catalog's and lesson pages' "Not on this
// server" notes link here (one anchor per check). Rendered on request: it describes the live host, not the build.
import type { Metadata } from 'next';
import Link from 'next/link';
import { getPlatform, getPlatformUnavailableReason } from '../_server/platform-handle.ts';
import { hostChecks } from '../../lab-runner/index.ts';
import { checkAnchor, type HostCheckView } from '../../lab-runner/wire/host-support.ts';
import heading from '../_components/site/page-heading.module.css';
import styles from './host.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'This server’s labs', robots: { index: false } };

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export default async function HostPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const refresh = (await searchParams).refresh === '1';
  let checks: HostCheckView[] | undefined;
  let unavailable: string | undefined;
  try {
    checks = await hostChecks(getPlatform(), refresh);
  } catch (err) {
    unavailable = getPlatformUnavailableReason() ?? (err as Error).message;
  }
  const failed = checks?.filter((c) => c.status === 'fail') ?? [];
  return (
    <main id="main" className={styles.page}>
      <p className={heading.eyebrow}>This server</p>
      <h1 className={styles.title}>Which labs can run here</h1>
      {unavailable ? (
        <section className={styles.summary} data-testid="host-summary" data-status="unavailable">
          <p>
            <strong>No labs on this server right now.</strong> The lessons still read fine; the labs need the lab runner, which says:
          </p>
          <pre className={styles.reason}>{unavailable}</pre>
          <p>
            On the server, <code>npm start</code> checks Docker before it starts and prints the fix for this machine (README, Troubleshooting).
          </p>
        </section>
      ) : (
        <section className={styles.summary} data-testid="host-summary" data-status={failed.length ? 'kind-unavailable' : 'ready'}>
          <p>
            <strong>Bare-node labs</strong> (nodes-1, nodes-2) run here. <strong>kind labs</strong>{' '}
            {failed.length
              ? `cannot start here until ${failed.length === 1 ? 'the check marked ✗ is' : `the ${failed.length} checks marked ✗ are`} fixed; each kind lesson links to the lesson that builds the same thing by hand.`
              : 'can start here.'}
          </p>
          <p className={styles.muted}>
            The same checks, on the server: <code>npm run doctor</code>. Checked again every ten minutes, or <a href="/host?refresh=1">now</a>.
          </p>
        </section>
      )}
      {checks ? (
        <ol className={styles.checks}>
          {checks.map((c) => (
            <li key={c.name} id={checkAnchor(c.name)} className={styles.check} data-status={c.status}>
              <span className={styles.mark} aria-label={c.status}>
                {MARK[c.status]}
              </span>
              <div>
                <h2 className={styles.checkName}>{c.name}</h2>
                <p className={styles.detail}>{c.detail}</p>
                {c.fix && c.status !== 'ok' ? (
                  <p className={styles.fix}>
                    <span className={styles.fixLabel}>Fix:</span> {c.fix}
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      <p className={styles.muted}>
        <Link href="/">Back to the course</Link>
      </p>
    </main>
  );
}
