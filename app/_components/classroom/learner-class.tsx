// A learner's class page: the path (lessons in order with their progress) and the trainer's messages.
import Link from 'next/link';
import type { LearnerClassView } from '../../../lab-runner/wire/classroom.ts';
import styles from './classroom.module.css';

export function LearnerClass({ c }: { c: LearnerClassView }) {
  return (
    <>
      <h1>{c.name}</h1>
      <p>
        {new Date(c.startsAt).toLocaleString()} – {new Date(c.endsAt).toLocaleString()}
      </p>
      <h2>Your path</h2>
      <ol data-testid="class-path">
        {c.path.map((p) => (
          <li key={p.lesson} data-lesson={p.lesson} data-passed={p.passed} data-total={p.total}>
            <Link href={p.href}>{p.title}</Link> — {p.completedAt ? 'done' : `${p.passed}/${p.total} tasks`}
          </li>
        ))}
      </ol>
      {c.messages.length > 0 && (
        <section className={styles.card} aria-label="Messages">
          <h2>Messages</h2>
          <ul>
            {c.messages.map((m) => (
              <li key={m.id}>
                <strong>{m.from}</strong> ({m.scope === 'direct' ? 'to you' : 'to the class'}): {m.body}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
