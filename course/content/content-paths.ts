// Where lessons and sandboxes are read from. Both are configurable so tests (and `next build` in a test)
// can point the whole pipeline at a fixture tree without touching the real course.
import path from 'node:path';

export interface ContentRoots {
  /** Directory holding `<NN-module>/module.yaml` and `<NN-module>/<NN-lesson>/index.mdx`. */
  contentDir: string;
  /** Directory holding `<sandbox>/sandbox.yaml` or `<sandbox>/kind.yaml`. */
  sandboxesDir: string;
  /** Paths in messages are shown relative to this directory. */
  baseDir: string;
}

export function contentRootsFromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ContentRoots {
  return {
    contentDir: path.resolve(cwd, env.CONTENT_DIR || 'content'),
    sandboxesDir: path.resolve(cwd, env.SANDBOXES_DIR || 'sandboxes'),
    baseDir: cwd,
  };
}
