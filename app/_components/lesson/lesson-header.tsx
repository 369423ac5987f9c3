// The top of a lesson: where it sits in the course, title, summary, time, sandbox, tags and objectives.
import Link from 'next/link';
import type { LessonContext } from '../../../course/content/site-content.ts';
import styles from './lesson.module.css';

const ACRONYMS: Record<string, string> = { cka: 'CKA', ckad: 'CKAD', cks: 'CKS', cni: 'CNI', dns: 'DNS' };

/** "cka:services-networking" -> "CKA · services networking", "layer:pod" -> "Layer · pod" */
function tagLabel(tag: string): string {
  const [ns, value] = tag.includes(':') ? tag.split(':') : [undefined, tag];
  const words = (value ?? '').replace(/-/g, ' ');
  if (!ns) return words;
  return `${ACRONYMS[ns] ?? ns.charAt(0).toUpperCase() + ns.slice(1)} · ${words}`;
}

export function LessonHeader({ context }: { context: LessonContext }) {
  const { lesson, module, position, total } = context;
  const fm = lesson.frontmatter;
  return (
    <header className={styles.header}>
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href="/">Course</Link>
        <span aria-hidden="true">/</span>
        <span>
          Module {module.metadata.order}: {module.metadata.title}
        </span>
      </nav>
      <h1 className={styles.title}>{fm.title}</h1>
      <p className={styles.summary}>{fm.summary}</p>
      <ul className={styles.meta} aria-label="About this lesson">
        <li className="badge">
          <ClockIcon />
          {fm.minutes} min
        </li>
        <li className="badge">
          Lesson {position} of {total}
        </li>
        <li className="badge badge-mono badge-accent" title="The lab this lesson runs in">
          {fm.sandbox}
        </li>
        {fm.tags.map((tag) => (
          <li key={tag} className="badge">
            {tagLabel(tag)}
          </li>
        ))}
      </ul>
      <section className={styles.objectives} aria-labelledby="objectives-title">
        <h2 id="objectives-title" className={styles.objectivesTitle}>
          You will
        </h2>
        <ul>
          {fm.objectives.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </section>
    </header>
  );
}

function ClockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}
