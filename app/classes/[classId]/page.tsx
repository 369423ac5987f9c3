// One class: the trainer's live dashboard, or the learner's path and messages.
import type { Metadata } from 'next';
import { ClassPage } from '../../_components/classroom/class-page.tsx';
import styles from '../../_components/classroom/classroom.module.css';

export const metadata: Metadata = { title: 'Class' };
export const dynamic = 'force-dynamic';

export default async function Page({ params }: { params: Promise<{ classId: string }> }) {
  const { classId } = await params;
  return (
    <main id="main" className={styles.page}>
      <ClassPage classId={classId} />
    </main>
  );
}
