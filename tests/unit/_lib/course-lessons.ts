// Lesson lists for script-level tests, derived from the course itself: each lesson's frontmatter names its sandbox,
// and the sandbox's runtime (sandboxes/<name>/sandbox.yaml) says whether it is a by-hand lesson (bare nodes) or an
// in-cluster one (kind). A new lesson is covered by these tests as soon as it exists; nothing to add here.
import path from 'node:path';
import { loadContent } from '../../../course/content/load-content.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import type { SandboxRuntime } from '../../../course/sandbox/sandbox-schema.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');

/**
 * Repo-relative directories ("content/01-pods/01-pods-and-network-namespaces") of the lessons with a challenge.yaml
 * whose frontmatter sandbox runs on `runtime`, in course order. Throws when there is none, so a test iterating over
 * the list cannot pass by testing nothing (a moved content tree, a renamed field).
 */
export function challengeLessonsOn(runtime: SandboxRuntime): string[] {
  const { index } = loadContent(path.join(REPO, 'content'));
  const sandboxes = new SandboxCatalog(path.join(REPO, 'sandboxes')).describe();
  const dirs = index.lessons
    .filter((l) => l.challengeFile && sandboxes.get(l.frontmatter.sandbox)?.kind === runtime)
    .map((l) => path.relative(REPO, path.dirname(l.file)).split(path.sep).join('/'));
  if (dirs.length === 0)
    throw new Error(`No lesson with a challenge runs on a ${runtime} sandbox: the content tree or its frontmatter is not where the tests expect.`);
  return dirs;
}
