// One module in the catalog: its title and summary, then its lessons in order.
import Link from 'next/link';
import type { LessonEntry, ModuleEntry } from '../../../course/content/load-content.ts';
import { byHandCounterpart, lessonRuntime } from '../../../course/content/lesson-runtime.ts';
import { getSandbox } from '../../../course/content/site-content.ts';
import { HostNote } from '../host/host-note.tsx';
import { formatMinutes } from './format-minutes.ts';
import { LessonProgressSlot } from './lesson-progress-slot.tsx';
import styles from './catalog.module.css';

const runtimeOf = (l: LessonEntry) => lessonRuntime(l, (name) => getSandbox(name)?.kind);

export function ModuleCard({ module, firstNumber }: { module: ModuleEntry; firstNumber: number }) {
  const headingId = `module-${module.slug}`;
  return (
    <section className={styles.module} aria-labelledby={headingId} data-testid="catalog-module">
      <div className={styles.moduleHead}>
        <div className={styles.moduleNumber} aria-hidden="true">
          {String(module.metadata.order).padStart(2, '0')}
        </div>
        <div className={styles.moduleText}>
          <h2 id={headingId} className={styles.moduleTitle}>
            <span className="visually-hidden">Module {module.metadata.order}: </span>
            {module.metadata.title}
          </h2>
          <p className={styles.moduleSummary}>{module.metadata.summary}</p>
        </div>
        <div className={styles.moduleMeta}>
          {module.lessons.length} lesson{module.lessons.length === 1 ? '' : 's'} · {formatMinutes(module.minutes)}
        </div>
      </div>
      <ol className={styles.lessons}>
        {module.lessons.map((lesson, i) => (
          <li key={lesson.id} className={styles.lesson} data-testid="catalog-lesson">
            <span className={styles.lessonNumber} aria-hidden="true">
              {firstNumber + i}
            </span>
            <div className={styles.lessonText}>
              <Link href={lesson.href} className={styles.lessonLink}>
                {lesson.frontmatter.title}
              </Link>
              <p className={styles.lessonSummary}>{lesson.frontmatter.summary}</p>
              {runtimeOf(lesson) === 'kind' ? <KindHostNote module={module} lesson={lesson} /> : null}
            </div>
            <div className={styles.lessonMeta}>
              <span className="badge badge-mono" title="Lab sandbox">
                {lesson.frontmatter.sandbox}
              </span>
              <span className={styles.minutes}>{formatMinutes(lesson.frontmatter.minutes)}</span>
              <LessonProgressSlot lessonId={lesson.id} />
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Marked at run time when this server cannot run kind (the catalog itself is static). */
function KindHostNote({ module, lesson }: { module: ModuleEntry; lesson: LessonEntry }) {
  const byHand = byHandCounterpart(module, lesson, runtimeOf);
  return <HostNote lessonId={lesson.id} runtime="kind" byHand={byHand ? { href: byHand.href, title: byHand.frontmatter.title } : undefined} />;
}
