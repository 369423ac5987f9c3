// The files a lesson's <Edit file="…"> actions open: the editor may save exactly these beyond the base trees
// (edit-policy.ts). Read from the lesson's MDX source, so a lesson author grants a file by linking to it.
import { readFileSync, statSync } from 'node:fs';
import { loadContent } from '../../course/content/load-content.ts';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';

const EDIT_TAG = /<Edit\b([^>]*)>/g;
const FILE_ATTR = /\bfile\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*(["'`])(.*?)\3\s*\})/;

/** `file` attributes of every <Edit> in an MDX source. */
export function editFilesInMdx(source: string): string[] {
  const files = new Set<string>();
  for (const m of source.matchAll(EDIT_TAG)) {
    const attr = FILE_ATTR.exec(m[1] ?? '');
    const file = attr?.[1] ?? attr?.[2] ?? attr?.[4];
    if (file && file.startsWith('/')) files.add(file);
  }
  return [...files].sort();
}

// lesson id -> its index.mdx path; rebuilt at most every few seconds (authors edit lessons while the server runs).
let lessonFiles: { at: number; contentDir: string; files: Map<string, string> } | undefined;
const INDEX_TTL_MS = 5_000;
const perFile = new Map<string, { mtimeMs: number; files: string[] }>();

function lessonFile(lessonId: string, contentDir: string): string | undefined {
  if (!lessonFiles || lessonFiles.contentDir !== contentDir || Date.now() - lessonFiles.at > INDEX_TTL_MS) {
    const { index } = loadContent(contentDir);
    lessonFiles = { at: Date.now(), contentDir, files: new Map(index.lessons.map((l) => [l.id, l.file])) };
  }
  return lessonFiles.files.get(lessonId);
}

/** The files a lesson's <Edit> actions name; [] for an unknown lesson or none given. */
export function lessonEditFiles(lessonId: string | undefined, contentDir: string = contentRootsFromEnv().contentDir): string[] {
  if (!lessonId) return [];
  const file = lessonFile(lessonId, contentDir);
  if (!file) return [];
  const mtimeMs = statSync(file).mtimeMs;
  const cached = perFile.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.files;
  const files = editFilesInMdx(readFileSync(file, 'utf8'));
  perFile.set(file, { mtimeMs, files });
  return files;
}
