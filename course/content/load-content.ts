// Reads the course tree (content/<NN-module>/module.yaml, content/<NN-module>/<NN-lesson>/index.mdx)
// into an ordered index. Everything wrong with the tree's shape or metadata comes back as ContentIssues;
// lessons and modules with invalid metadata are left out of the index.
import fs from 'node:fs';
import path from 'node:path';
import type { ContentIssue } from './content-issue.ts';
import { splitFrontmatter } from './frontmatter.ts';
import { lessonFieldHelp, lessonFrontmatterSchema } from './lesson-frontmatter.ts';
import type { LessonFrontmatter } from './lesson-frontmatter.ts';
import { moduleFieldHelp, moduleMetadataSchema } from './module-metadata.ts';
import type { ModuleMetadata } from './module-metadata.ts';
import { schemaIssues } from './schema-issues.ts';
import { lessonHref, parseOrderedDirName } from './slug.ts';
import { locate, parseYamlSource } from './yaml-source.ts';

export interface LessonEntry {
  /** "pods/pods-and-network-namespaces": module slug + lesson slug. */
  id: string;
  moduleSlug: string;
  slug: string;
  href: string;
  dir: string;
  /** Absolute path of index.mdx. */
  file: string;
  /** Absolute path of challenge.yaml when the lesson has one. */
  challengeFile?: string;
  frontmatter: LessonFrontmatter;
  /** Line of each frontmatter field in index.mdx, for messages about a field's value (e.g. an unknown sandbox). */
  fieldLines: Record<string, number>;
  /** MDX with the frontmatter blanked out (line numbers match the file). */
  body: string;
}

export interface ModuleEntry {
  slug: string;
  dir: string;
  metadata: ModuleMetadata;
  lessons: LessonEntry[];
  /** Sum of the lessons' estimated minutes. */
  minutes: number;
}

export interface ContentIndex {
  modules: ModuleEntry[];
  lessons: LessonEntry[];
}

/** A lesson file that exists but could not be indexed (bad frontmatter): still compiled by the checker. */
export interface UnindexedLesson {
  file: string;
  body: string;
}

export interface LoadedContent {
  index: ContentIndex;
  issues: ContentIssue[];
  unindexed: UnindexedLesson[];
}

const MODULE_FILE = 'module.yaml';
const LESSON_FILE = 'index.mdx';
const CHALLENGE_FILE = 'challenge.yaml';

function subdirectories(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

export function loadContent(contentDir: string): LoadedContent {
  const issues: ContentIssue[] = [];
  const unindexed: UnindexedLesson[] = [];
  const modules: ModuleEntry[] = [];
  if (!fs.existsSync(contentDir)) {
    issues.push({
      file: contentDir,
      message: 'the content directory does not exist',
      valid: 'a directory of <NN-module>/ folders (set CONTENT_DIR to use another one)',
    });
    return { index: { modules, lessons: [] }, issues, unindexed };
  }

  for (const moduleDirName of subdirectories(contentDir)) {
    if (moduleDirName === 'exams') continue; // practice exams (course/exam/exam-loader.ts), not a module
    const moduleDir = path.join(contentDir, moduleDirName);
    const moduleName = parseOrderedDirName(moduleDirName);
    if (!moduleName) {
      issues.push({
        file: moduleDir,
        message: `module directory "${moduleDirName}" has no numeric prefix`,
        valid: 'a name like 01-pod-plumbing (NN-, then lowercase words joined by dashes)',
      });
      continue;
    }
    const metadata = readModuleMetadata(path.join(moduleDir, MODULE_FILE), issues);
    const lessons: LessonEntry[] = [];
    for (const lessonDirName of subdirectories(moduleDir)) {
      const lessonDir = path.join(moduleDir, lessonDirName);
      const lessonName = parseOrderedDirName(lessonDirName);
      const file = path.join(lessonDir, LESSON_FILE);
      if (!lessonName) {
        issues.push({
          file: lessonDir,
          message: `lesson directory "${lessonDirName}" has no numeric prefix`,
          valid: 'a name like 01-pods-and-network-namespaces',
        });
        continue;
      }
      if (!fs.existsSync(file)) {
        issues.push({ file: lessonDir, message: `lesson directory has no ${LESSON_FILE}`, valid: `${LESSON_FILE} with frontmatter and the lesson's MDX` });
        continue;
      }
      const split = splitFrontmatter(file, fs.readFileSync(file, 'utf8'));
      issues.push(...split.issues);
      const fm = split.frontmatter;
      const parsed = fm?.value !== undefined ? lessonFrontmatterSchema.safeParse(fm.value ?? {}) : undefined;
      if (!fm || !parsed) {
        unindexed.push({ file, body: split.body });
        continue;
      }
      if (!parsed.success) {
        issues.push(...schemaIssues(fm, lessonFrontmatterSchema, parsed.error, { prefix: 'frontmatter', help: (p) => lessonFieldHelp[String(p[0])] }));
        unindexed.push({ file, body: split.body });
        continue;
      }
      const challengeFile = path.join(lessonDir, CHALLENGE_FILE);
      lessons.push({
        id: `${moduleName.slug}/${lessonName.slug}`,
        moduleSlug: moduleName.slug,
        slug: lessonName.slug,
        href: lessonHref(moduleName.slug, lessonName.slug),
        dir: lessonDir,
        file,
        challengeFile: fs.existsSync(challengeFile) ? challengeFile : undefined,
        frontmatter: parsed.data,
        fieldLines: Object.fromEntries(Object.keys(parsed.data).map((k) => [k, locate(fm, [k]).line])),
        body: split.body,
      });
    }
    lessons.sort((a, b) => a.frontmatter.order - b.frontmatter.order || a.dir.localeCompare(b.dir));
    issues.push(
      ...duplicates(
        lessons,
        (l) => l.slug,
        (l) => ({
          file: l.dir,
          message: `two lessons in this module have the slug "${l.slug}"`,
          valid: 'distinct lesson directory names after the NN- prefix',
        }),
      ),
    );
    issues.push(
      ...duplicates(
        lessons,
        (l) => String(l.frontmatter.order),
        (l) => ({
          file: l.file,
          field: 'frontmatter.order',
          message: `another lesson in this module also has order ${l.frontmatter.order}`,
          valid: 'a distinct whole number per lesson in the module',
        }),
      ),
    );
    if (metadata) {
      modules.push({ slug: moduleName.slug, dir: moduleDir, metadata, lessons, minutes: lessons.reduce((n, l) => n + l.frontmatter.minutes, 0) });
    }
  }
  modules.sort((a, b) => a.metadata.order - b.metadata.order || a.dir.localeCompare(b.dir));
  issues.push(
    ...duplicates(
      modules,
      (m) => m.slug,
      (m) => ({ file: m.dir, message: `two modules have the slug "${m.slug}"`, valid: 'distinct module directory names after the NN- prefix' }),
    ),
  );
  return { index: { modules, lessons: modules.flatMap((m) => m.lessons) }, issues, unindexed };
}

function readModuleMetadata(file: string, issues: ContentIssue[]): ModuleMetadata | undefined {
  if (!fs.existsSync(file)) {
    issues.push({ file, message: `the module has no ${MODULE_FILE}`, valid: `${MODULE_FILE} with title, order and summary` });
    return undefined;
  }
  const src = parseYamlSource(file, fs.readFileSync(file, 'utf8'));
  issues.push(...src.syntaxIssues);
  if (src.value === undefined) return undefined;
  const parsed = moduleMetadataSchema.safeParse(src.value ?? {});
  if (!parsed.success) {
    issues.push(...schemaIssues(src, moduleMetadataSchema, parsed.error, { help: (p) => moduleFieldHelp[String(p[0])] }));
    return undefined;
  }
  return parsed.data;
}

/** One issue for every entry after the first that shares a key. */
function duplicates<T>(items: T[], key: (t: T) => string, issue: (t: T) => ContentIssue): ContentIssue[] {
  const seen = new Set<string>();
  const out: ContentIssue[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) out.push(issue(item));
    seen.add(k);
  }
  return out;
}
