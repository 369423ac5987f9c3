// "On this page": the lesson's h2/h3 headings, linking to their stable ids.
import type { LessonHeading } from '../../../course/content/compile-mdx.ts';
import styles from './lesson.module.css';

export function TableOfContents({ headings }: { headings: LessonHeading[] }) {
  const items = headings.filter((h) => h.depth === 2 || h.depth === 3);
  if (items.length === 0) return null;
  return (
    <nav aria-label="On this page" className={styles.toc}>
      <div className={styles.tocTitle}>On this page</div>
      <ol className={styles.tocList}>
        {items.map((h) => (
          <li key={h.id} className={h.depth === 3 ? styles.tocSub : undefined}>
            <a href={`#${h.id}`}>{h.text}</a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
