// The one lesson route: /learn/<module>/<lesson>. Every lesson is prerendered at build time from the
// content index; the MDX is compiled (and highlighted) then, so a request only serves finished HTML.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LessonBody } from '../../_components/lesson/lesson-body.tsx';
import { LessonHeader } from '../../_components/lesson/lesson-header.tsx';
import { LessonNav } from '../../_components/lesson/lesson-nav.tsx';
import { TableOfContents } from '../../_components/lesson/table-of-contents.tsx';
import styles from '../../_components/lesson/lesson.module.css';
import { LessonLab } from '../../_components/lab-pane/lesson-lab.tsx';
import { LabSessionProvider } from '../../_components/lab/lab-session.tsx';
import { summarizeSandbox } from '../../_components/lab-pane/sandbox-summary.ts';
import { DiagramDefs } from '../../_components/mdx/diagram.tsx';
import { compileLesson, findLesson, getCourse, getSandbox } from '../../../course/content/site-content.ts';
import { byHandCounterpart, lessonRuntime } from '../../../course/content/lesson-runtime.ts';

type Params = { slug: string[] };

export const dynamicParams = false;

export function generateStaticParams(): Params[] {
  return getCourse().lessons.map((l) => ({ slug: [l.moduleSlug, l.slug] }));
}

function lookup(slug: string[]) {
  if (slug.length !== 2) return undefined;
  return findLesson(slug[0]!, slug[1]!);
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const context = lookup((await params).slug);
  if (!context) return {};
  return { title: context.lesson.frontmatter.title, description: context.lesson.frontmatter.summary };
}

export default async function LessonPage({ params }: { params: Promise<Params> }) {
  const context = lookup((await params).slug);
  if (!context) notFound();
  const { lesson } = context;
  const compiled = await compileLesson(lesson);
  const fm = lesson.frontmatter;
  const sandbox = summarizeSandbox(fm.sandbox, getSandbox(fm.sandbox));
  const kindSandbox = fm.kindSandbox ? summarizeSandbox(fm.kindSandbox, getSandbox(fm.kindSandbox)) : undefined;
  const byHand = byHandCounterpart(context.module, lesson, (l) => lessonRuntime(l, (name) => getSandbox(name)?.kind));

  return (
    <LabSessionProvider sandbox={sandbox.name} lesson={lesson.id} targets={sandbox.targets} kindSandbox={kindSandbox?.name} kindTargets={kindSandbox?.targets}>
      <div className={styles.layout}>
        <main id="main" className={styles.main}>
          <article className={styles.column} data-lesson={lesson.id}>
            <LessonHeader context={context} />
            <TableOfContents headings={compiled.headings} />
            <div className="prose" data-testid="lesson-prose">
              <DiagramDefs />
              <LessonBody code={compiled.code} />
            </div>
            <LessonNav previous={context.previous} next={context.next} />
          </article>
        </main>
        <LessonLab
          lessonId={lesson.id}
          sandbox={sandbox}
          kindSandbox={kindSandbox}
          hasChallenge={Boolean(lesson.challengeFile)}
          byHand={byHand ? { href: byHand.href, title: byHand.frontmatter.title } : undefined}
        />
      </div>
    </LabSessionProvider>
  );
}
