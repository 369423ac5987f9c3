// Next.js configuration. `next build` runs the same content check as `npm run content:check` and fails on
// any error, so a broken lesson can never be deployed. CONTENT_DIR / SANDBOXES_DIR move the content roots
// (tests build against fixtures); NEXT_DIST_DIR moves the build output (so such a test never touches .next).
import { PHASE_PRODUCTION_BUILD } from 'next/constants.js';

/** Next loads this file in several processes during one build; the check runs once. */
const CHECKED = '__PACKETWALK_CONTENT_CHECKED';

async function checkContentForBuild() {
  if (process.env[CHECKED]) return;
  const { checkContent, formatCheckResult } = await import('./course/content/check.ts');
  const { contentRootsFromEnv } = await import('./course/content/content-paths.ts');
  const roots = contentRootsFromEnv();
  const result = await checkContent(roots);
  const report = formatCheckResult(result, roots.baseDir);
  if (result.issues.length > 0) {
    throw new Error(`content:check failed, so the build stops here. Fix these and build again:\n\n${report}\n`);
  }
  console.log(`content:check: ${report}`);
  process.env[CHECKED] = '1';
}

/** @param {string} phase */
export default async function nextConfig(phase) {
  if (phase === PHASE_PRODUCTION_BUILD) await checkContentForBuild();
  /** @type {import('next').NextConfig} */
  const config = {
    distDir: process.env.NEXT_DIST_DIR || '.next',
    reactStrictMode: true,
    // Types are checked by \`npm run typecheck\` (CI runs it) over the whole repository; \`next build\` checking
    // them again would make a type error in any test file block the site build.
    typescript: { ignoreBuildErrors: true },
    poweredByHeader: false,
    // Compiled and highlighted at build time on the server; never bundled for the browser.
    serverExternalPackages: ['@mdx-js/mdx', 'shiki', '@shikijs/rehype', 'dockerode', 'ssh2', 'cpu-features'],
    turbopack: {
      resolveAlias: {
        // monaco-yaml's worker (through monaco-worker-manager) imports this pre-0.56 path, which monaco-editor's
        // exports map now resolves to esm/vs/esm/vs/…: point it at the file it means (the editor tab's YAML worker).
        'monaco-editor/esm/vs/editor/editor.worker.js': 'monaco-editor/editor/editor.worker.js',
      },
    },
  };
  return config;
}
