// Previous / next lesson at the end of the prose.
import Link from 'next/link';
import type { LessonEntry } from '../../../course/content/load-content.ts';
import styles from './lesson.module.css';

export function LessonNav({ previous, next }: { previous?: LessonEntry; next?: LessonEntry }) {
  if (!previous && !next) return null;
  return (
    <nav aria-label="More lessons" className={styles.pager}>
      {previous ? (
        <Link href={previous.href} className={styles.pagerLink}>
          <span className={styles.pagerLabel}>Previous</span>
          <span className={styles.pagerTitle}>{previous.frontmatter.title}</span>
        </Link>
      ) : (
        <span />
      )}
      {next ? (
        <Link href={next.href} className={`${styles.pagerLink} ${styles.pagerNext}`}>
          <span className={styles.pagerLabel}>Next</span>
          <span className={styles.pagerTitle}>{next.frontmatter.title}</span>
        </Link>
      ) : null}
    </nav>
  );
}
