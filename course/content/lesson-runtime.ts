// Which lab runtime a lesson needs, and the lesson that teaches the same plumbing by hand: when this host cannot run
// kind, the catalog and the lesson page offer that by-hand lesson instead. Decided at build time from content.
import type { LessonEntry, ModuleEntry } from './load-content.ts';

export type LessonRuntime = 'nodes' | 'kind';

export function lessonRuntime(lesson: LessonEntry, sandboxKind: (name: string) => LessonRuntime | undefined): LessonRuntime {
  return sandboxKind(lesson.frontmatter.sandbox) ?? (lesson.frontmatter.sandbox.startsWith('kind') ? 'kind' : 'nodes');
}

/**
 * A kind lesson's by-hand counterpart: the nearest earlier lesson of its module that runs on bare nodes (each module
 * builds a piece by hand first, then finds it in the cluster). Undefined for bare-node lessons and for modules
 * without a by-hand lesson before it.
 */
export function byHandCounterpart(module: ModuleEntry, lesson: LessonEntry, runtimeOf: (l: LessonEntry) => LessonRuntime): LessonEntry | undefined {
  if (runtimeOf(lesson) !== 'kind') return undefined;
  const index = module.lessons.findIndex((l) => l.id === lesson.id);
  for (let i = index - 1; i >= 0; i--) {
    const candidate = module.lessons[i]!;
    if (runtimeOf(candidate) === 'nodes') return candidate;
  }
  return undefined;
}
