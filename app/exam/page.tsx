// /exam: practice exams. Pick one to start an attempt (tasks drawn at random, their labs provisioned, one timer);
// past attempts with their scores below.
import type { Metadata } from 'next';
import { ExamList } from '../_components/exam/exam-list.tsx';
import styles from '../_components/exam/exam.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Practice exams' };

export default function ExamPage() {
  return (
    <main id="main" className={styles.page}>
      <p className={styles.eyebrow}>Practice</p>
      <h1 className={styles.title}>Practice exams</h1>
      <p>
        Each attempt draws tasks you have not seen in this order from the course&apos;s break-fix tasks, gives each its own lab, and runs one timer. There are
        no hints and no solutions until you submit; when time runs out the attempt is graded as it stands, with the same checks as the lessons.
      </p>
      <ExamList />
    </main>
  );
}
