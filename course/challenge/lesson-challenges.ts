// Which lessons have challenges, and which sandbox each runs in: read from the content tree through the content
// pipeline (course/content), so the grader, `lab verify` and the site agree on lesson ids ("pods/pods-and-network-namespaces").
import fs from 'node:fs';
import { loadContent } from '../content/load-content.ts';
import { loadChallenge } from './challenge-loader.ts';
import type { Challenge } from './challenge-schema.ts';
import { ChallengeError } from './challenge-loader.ts';

/** Where a lesson's challenge is, from the content index (the challenge itself is read on demand). */
interface LessonRef {
  /** Content id: "<module-slug>/<lesson-slug>". */
  lesson: string;
  title: string;
  href: string;
  sandbox: string;
  kindSandbox?: string;
  challengeFile: string;
}

export interface LessonChallenge extends LessonRef {
  challenge: Challenge;
}

export interface LessonChallengeSource {
  get(lesson: string): Promise<LessonChallenge | undefined>;
  /** Every lesson with a challenge.yaml, in course order. Invalid challenges throw ChallengeError, unless skipped. */
  list(opts?: { skipInvalid?: boolean }): Promise<LessonChallenge[]>;
}

/**
 * Reads content/ on demand. The index is cached briefly and each challenge.yaml is re-read when its mtime changes,
 * so an author editing a challenge sees it on the next check without a restart.
 */
export function contentLessonChallenges(contentDir: string, opts: { indexTtlMs?: number } = {}): LessonChallengeSource {
  const ttl = opts.indexTtlMs ?? 2_000;
  let index: { at: number; refs: LessonRef[] } | undefined;
  const parsed = new Map<string, { mtimeMs: number; challenge: Challenge }>();

  const refs = (): LessonRef[] => {
    if (index && Date.now() - index.at < ttl) return index.refs;
    const { index: content } = loadContent(contentDir);
    const list = content.lessons
      .filter((l) => l.challengeFile)
      .map((l) => ({
        lesson: l.id,
        title: l.frontmatter.title,
        href: l.href,
        sandbox: l.frontmatter.sandbox,
        kindSandbox: l.frontmatter.kindSandbox,
        challengeFile: l.challengeFile!,
      }));
    index = { at: Date.now(), refs: list };
    return list;
  };

  const load = async (ref: LessonRef): Promise<LessonChallenge> => {
    const mtimeMs = fs.statSync(ref.challengeFile).mtimeMs;
    const hit = parsed.get(ref.challengeFile);
    if (hit && hit.mtimeMs === mtimeMs) return { ...ref, challenge: hit.challenge };
    const result = await loadChallenge(ref.challengeFile);
    if (!result.ok) throw new ChallengeError(result.issues);
    parsed.set(ref.challengeFile, { mtimeMs, challenge: result.challenge });
    return { ...ref, challenge: result.challenge };
  };

  return {
    async get(lesson) {
      const ref = refs().find((r) => r.lesson === lesson);
      return ref ? load(ref) : undefined;
    },
    async list(opts) {
      if (!opts?.skipInvalid) return Promise.all(refs().map(load));
      // The catalog must not lose every badge because one challenge file is being edited.
      const settled = await Promise.allSettled(refs().map(load));
      return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    },
  };
}
