// Internal links must land: /learn/<module>/<lesson> must be a lesson and #anchor one of its heading ids.
import type { ContentIssue } from './content-issue.ts';
import { closest } from './content-issue.ts';
import type { LessonLink } from './compile-mdx.ts';

export interface LinkTargets {
  /** href ("/learn/pods/pods-and-network-namespaces") -> heading ids, or undefined when that lesson did not compile. */
  lessons: Map<string, string[] | undefined>;
}

const EXTERNAL = /^(https?:|mailto:|tel:)/i;

export function checkLinks(file: string, ownHref: string | undefined, ownIds: string[], links: LessonLink[], targets: LinkTargets): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const known = [...targets.lessons.keys()];
  for (const link of links) {
    const { href } = link;
    if (EXTERNAL.test(href)) continue;
    const base = { file, line: link.line, column: link.column, field: `link ${href}` };
    const hashAt = href.indexOf('#');
    const pathPart = (hashAt === -1 ? href : href.slice(0, hashAt)).replace(/\/$/, '');
    const anchor = hashAt === -1 ? undefined : decodeURIComponent(href.slice(hashAt + 1));

    let ids: string[] | undefined;
    let where: string;
    if (pathPart === '' && anchor !== undefined) {
      ids = ownIds;
      where = 'this lesson';
    } else if (pathPart === '' && anchor === undefined) {
      continue;
    } else if (!pathPart.startsWith('/')) {
      issues.push({
        ...base,
        message: 'relative links break when URLs change',
        valid: 'an absolute link /learn/<module>/<lesson>#anchor (module and lesson without their NN- prefix)',
      });
      continue;
    } else if (pathPart === '' || pathPart === '/') {
      continue;
    } else if (!pathPart.startsWith('/learn/')) {
      issues.push({ ...base, message: `no page at ${pathPart}`, valid: 'a lesson link /learn/<module>/<lesson>#anchor, or / for the catalog' });
      continue;
    } else if (!targets.lessons.has(pathPart)) {
      const guess = closest(pathPart, known);
      issues.push({ ...base, message: `no lesson at ${pathPart}${guess ? ` (did you mean ${guess}?)` : ''}`, valid: validLessons(pathPart, known) });
      continue;
    } else {
      ids = targets.lessons.get(pathPart);
      where = pathPart === ownHref ? 'this lesson' : pathPart;
    }
    if (anchor === undefined || ids === undefined) continue;
    if (!ids.includes(anchor)) {
      const guess = closest(anchor, ids);
      issues.push({
        ...base,
        message: `no heading with id "${anchor}" in ${where}${guess ? ` (did you mean #${guess}?)` : ''}`,
        valid: ids.length ? `one of ${ids.map((i) => `#${i}`).join(', ')}` : 'a link without an anchor (that lesson has no headings)',
      });
    }
  }
  return issues;
}

/** The lessons worth listing: all of them in a small course, else those of the module the link names. */
function validLessons(pathPart: string, known: string[]): string {
  if (known.length === 0) return 'a link to an existing lesson';
  if (known.length <= 6) return `one of ${known.join(', ')}`;
  const moduleSlug = pathPart.split('/')[2];
  const sameModule = known.filter((k) => k.split('/')[2] === moduleSlug);
  if (sameModule.length) return `a lesson of that module: ${sameModule.join(', ')}`;
  const modules = [...new Set(known.map((k) => k.split('/')[2]))];
  return `/learn/<module>/<lesson> with a module among ${modules.join(', ')}`;
}
