// Classes: a trainer's own (and the form to create one), a learner's joined ones. Needs AUTH=accounts or oidc.
import type { Metadata } from 'next';
import { getCourse } from '../../course/content/site-content.ts';
import { ClassList } from '../_components/classroom/class-list.tsx';
import styles from '../_components/classroom/classroom.module.css';

export const metadata: Metadata = { title: 'Classes' };

export default function ClassesPage() {
  const lessons = getCourse().lessons.map((l) => ({ id: l.id, title: l.frontmatter.title }));
  return (
    <main id="main" className={styles.page}>
      <h1>Classes</h1>
      <ClassList lessons={lessons} />
    </main>
  );
}
