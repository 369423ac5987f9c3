import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'tests/fixtures/**', 'data/**'],
  },
  {
    rules: {
      // Only lab-runner/docker/ may talk to Docker: everything else goes through the ContainerRuntime interface.
      'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'Import dockerode only under lab-runner/docker/.' }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lab-runner/docker/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // Layers run one way: app -> course + lab-runner + lib, lab-runner -> course + lib, course -> lib, lib -> nothing of ours.
  layerFence(['course/**'], '(^|/)(lab-runner|app)(/|$)', 'The course model (course/) imports only lib/: the engine and the site import it, never the reverse.'),
  layerFence(['lib/**'], '(^|/)(course|lab-runner|app)(/|$)', 'lib/ holds leaf utilities: it imports nothing of ours (course/, lab-runner/, app/).'),
];

export default config;

/** Forbids `files` to import what `regex` matches. Repeats the dockerode fence: a later rule set replaces an earlier one. */
function layerFence(files, regex, message) {
  const dockerode = { name: 'dockerode', message: 'Import dockerode only under lab-runner/docker/.' };
  return { files, rules: { 'no-restricted-imports': ['error', { paths: [dockerode], patterns: [{ regex, message }] }] } };
}
