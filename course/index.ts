// The course model: what a course is, read from disk and validated. The site (app/) and the engine (lab-runner/) both
// import it; it imports only lib/ (leaf utilities), never the engine or the site (fenced in eslint.config.mjs).
//
//   content/    lessons and modules: roots (content-paths), frontmatter, loading (load-content), the site's view
//               (site-content), and the content checker (check, check-cli: `npm run content:check`).
//   challenge/  challenge.yaml: schema, loader, its JSON Schema for editors, and which lessons have one.
//   sandbox/    sandbox.yaml: one schema per runtime (nodes, kind/), the loader, the targets a template offers, and
//               the one SandboxCatalog (validated templates for the engine, descriptions for the site and checker).
//   artefacts/  the pinned third-party files lessons may name; fetching them is the engine's job.
//
// MDX compilation and code highlighting (content/compile-mdx.ts, highlighter.ts, mdx-component-props.ts) live here,
// not in app/: the checker compiles every lesson with the same pipeline the site renders with (it checks components
// and their props, links against heading ids, code-block languages), and next.config.mjs runs the checker before
// `next build`. One compiler both can import must sit below the site, so it is content tooling, not site code.
// The site keeps only what renders (app/_components/mdx/, lesson-body.tsx).
export type { ContentRoots } from './content/content-paths.ts';
export { contentRootsFromEnv } from './content/content-paths.ts';
export type { ContentIndex, LessonEntry, ModuleEntry } from './content/load-content.ts';
export { loadContent } from './content/load-content.ts';
export type { Challenge } from './challenge/challenge-schema.ts';
export { ChallengeError, loadChallenge, parseChallenge } from './challenge/challenge-loader.ts';
export type { LessonChallenge, LessonChallengeSource } from './challenge/lesson-challenges.ts';
export { contentLessonChallenges } from './challenge/lesson-challenges.ts';
export type { Sandbox, SandboxRuntime } from './sandbox/sandbox-schema.ts';
export type { SandboxInfo } from './sandbox/describe-sandbox.ts';
export { SandboxCatalog } from './sandbox/sandbox-catalog.ts';
export { SandboxError } from './sandbox/sandbox-error.ts';
export { DEFAULT_SANDBOXES_DIR } from './sandbox/sandboxes-dir.ts';
export type { TargetDescription } from './sandbox/sandbox-targets.ts';
export { sandboxTargets } from './sandbox/sandbox-targets.ts';
