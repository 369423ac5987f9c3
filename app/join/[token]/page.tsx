// The enroll link a trainer hands out: /join/<token>.
import type { Metadata } from 'next';
import { JoinClass } from '../../_components/classroom/join-class.tsx';
import styles from '../../_components/classroom/classroom.module.css';

export const metadata: Metadata = { title: 'Join a class' };
export const dynamic = 'force-dynamic';

export default async function Page({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main id="main" className={styles.page}>
      <h1>Join a class</h1>
      <JoinClass token={token} />
    </main>
  );
}
