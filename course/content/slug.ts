// Directory names carry their order ("01-pods"); URLs do not ("/learn/pods").
const ORDERED_DIR = /^(\d+)-([a-z0-9][a-z0-9-]*)$/;

export interface OrderedDirName {
  order: number;
  slug: string;
}

/** "02-pod-to-pod" -> { order: 2, slug: "pod-to-pod" }; undefined when the name has no numeric prefix. */
export function parseOrderedDirName(name: string): OrderedDirName | undefined {
  const m = ORDERED_DIR.exec(name);
  if (!m) return undefined;
  return { order: Number.parseInt(m[1]!, 10), slug: m[2]! };
}

export function lessonHref(moduleSlug: string, lessonSlug: string): string {
  return `/learn/${moduleSlug}/${lessonSlug}`;
}
