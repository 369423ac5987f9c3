// What the pages read: the course index, one lesson's compiled MDX, and sandbox facts for the lab pane.
// In production everything is read once (pages are prerendered at build); in development every request
// re-reads the files so an author sees an edit on reload.
import { compileMdx } from './compile-mdx.ts';
import type { CompiledMdx } from './compile-mdx.ts';
import { ContentCheckError, formatIssues } from './content-issue.ts';
import { contentRootsFromEnv } from './content-paths.ts';
import { loadContent } from './load-content.ts';
import type { ContentIndex, LessonEntry, ModuleEntry } from './load-content.ts';
import { SandboxCatalog } from '../sandbox/sandbox-catalog.ts';
import type { SandboxInfo } from '../sandbox/describe-sandbox.ts';

const cacheable = process.env.NODE_ENV === 'production';
let courseCache: ContentIndex | undefined;
const compiledCache = new Map<string, Promise<CompiledMdx>>();

export function getCourse(): ContentIndex {
  if (cacheable && courseCache) return courseCache;
  const roots = contentRootsFromEnv();
  const { index } = loadContent(roots.contentDir);
  if (cacheable) courseCache = index;
  return index;
}

/**
 * Development only: the course-structure problems (frontmatter, module.yaml, folders) found while indexing, as
 * content:check would print them — a lesson with broken frontmatter is left out of the index, and an author
 * running `npm run dev` should see why rather than a missing lesson. Production builds never get here with errors.
 */
export function getCourseProblems(): string | undefined {
  if (cacheable) return undefined;
  const roots = contentRootsFromEnv();
  const { issues } = loadContent(roots.contentDir);
  return issues.length ? formatIssues(issues, roots.baseDir) : undefined;
}

export interface LessonContext {
  lesson: LessonEntry;
  module: ModuleEntry;
  /** Position in the whole course, for "Lesson 3 of 13". */
  position: number;
  total: number;
  previous?: LessonEntry;
  next?: LessonEntry;
}

export function findLesson(moduleSlug: string, lessonSlug: string): LessonContext | undefined {
  const course = getCourse();
  const i = course.lessons.findIndex((l) => l.moduleSlug === moduleSlug && l.slug === lessonSlug);
  if (i === -1) return undefined;
  const lesson = course.lessons[i]!;
  const moduleEntry = course.modules.find((m) => m.slug === moduleSlug)!;
  return { lesson, module: moduleEntry, position: i + 1, total: course.lessons.length, previous: course.lessons[i - 1], next: course.lessons[i + 1] };
}

/** Compiled MDX; a compile error is rethrown as a ContentCheckError naming the file and line. */
export function compileLesson(lesson: LessonEntry): Promise<CompiledMdx> {
  const cached = cacheable ? compiledCache.get(lesson.file) : undefined;
  if (cached) return cached;
  const roots = contentRootsFromEnv();
  const promise = compileMdx(lesson.body, lesson.file).catch((err: unknown) => {
    const e = err as { line?: number; column?: number; reason?: string; message?: string };
    throw new ContentCheckError(
      [{ file: lesson.file, line: e.line, column: e.column, field: 'MDX', message: e.reason ?? e.message ?? String(err) }],
      roots.baseDir,
    );
  });
  if (cacheable) compiledCache.set(lesson.file, promise);
  return promise;
}

export function getSandbox(name: string): SandboxInfo | undefined {
  // A fresh catalog per call, as before the catalogs were merged: a dev server sees an edited kind.yaml too.
  return new SandboxCatalog(contentRootsFromEnv().sandboxesDir).describe().get(name);
}
