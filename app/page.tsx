// The catalog: every module in order with its lessons, estimated time and lab sandbox.
// Server-rendered and static; it ships no terminal or editor code (see tests/e2e/site.spec.ts).
import { formatMinutes } from './_components/catalog/format-minutes.ts';
import { ModuleCard } from './_components/catalog/module-card.tsx';
import { ContentProblems } from './_components/site/content-problems.tsx';
import styles from './_components/catalog/catalog.module.css';
import heading from './_components/site/page-heading.module.css';
import { getCourse } from '../course/content/site-content.ts';

export default function CatalogPage() {
  const course = getCourse();
  const totalMinutes = course.lessons.reduce((n, l) => n + l.frontmatter.minutes, 0);
  // Lessons are numbered through the whole course: module 2 continues where module 1 ended.
  const firstNumbers = course.modules.map((_, i) => 1 + course.modules.slice(0, i).reduce((n, m) => n + m.lessons.length, 0));
  return (
    <main id="main" className={styles.page}>
      <section className={styles.hero} aria-labelledby="course-title">
        <div>
          <p className={heading.eyebrow}>Kubernetes networking, layer by layer</p>
          <h1 id="course-title" className={styles.title}>
            Build the network by hand, then find it in the cluster.
          </h1>
          <p className={styles.lead}>
            Each lesson sits beside a real lab: Linux nodes in containers, started in about a second. Wire namespaces, bridges, routes and tunnels yourself; the
            checks answer as soon as it works.
          </p>
        </div>
        <dl className={styles.stats}>
          <div className={styles.stat}>
            <dt>{course.modules.length === 1 ? 'module' : 'modules'}</dt>
            <dd>{course.modules.length}</dd>
          </div>
          <div className={styles.stat}>
            <dt>{course.lessons.length === 1 ? 'lesson' : 'lessons'}</dt>
            <dd>{course.lessons.length}</dd>
          </div>
          <div className={styles.stat}>
            <dt>hands-on</dt>
            <dd>{formatMinutes(totalMinutes)}</dd>
          </div>
        </dl>
      </section>
      <ContentProblems />
      {course.modules.length === 0 ? (
        <p className={styles.empty}>No lessons yet. Add one under content/ (see docs/authoring.md).</p>
      ) : (
        <div className={styles.modules}>
          {course.modules.map((m, i) => (
            <ModuleCard key={m.slug} module={m} firstNumber={firstNumbers[i]!} />
          ))}
        </div>
      )}
    </main>
  );
}
