// /exam/<attemptId>: one attempt: the timer, the task list with "flag for review", a terminal per task's lab, Submit;
// after grading, the score, each task's verdict (observed vs expected), its solution and the lesson that teaches it.
import type { Metadata } from 'next';
import { ExamAttempt } from '../../_components/exam/exam-attempt.tsx';
import styles from '../../_components/exam/exam.module.css';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Exam attempt', robots: { index: false } };

export default async function AttemptPage({ params }: { params: Promise<{ attemptId: string }> }) {
  const { attemptId } = await params;
  return (
    <main id="main" className={styles.wide}>
      <ExamAttempt attemptId={attemptId} />
    </main>
  );
}
