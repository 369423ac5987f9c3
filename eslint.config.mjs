import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const DOCKERODE = { name: 'dockerode', message: 'Import dockerode only under lab-runner/docker/.' };
const ENGINE_FRONT_DOOR = {
  regex: '(^|/)lab-runner/(?!index\\.ts$|wire/)',
  message: 'app/ imports the engine only through lab-runner/index.ts and lab-runner/wire/.',
};
const NO_ROUTE_INTERNALS = { regex: '(^|/)api/', message: 'Pages and components do not import route internals: put what they share in lab-runner/wire/.' };

const config = [
  ...next,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'tests/fixtures/**', 'data/**'],
  },
  {
    rules: {
      // Only lab-runner/docker/ may talk to Docker: everything else goes through the ContainerRuntime interface.
      'no-restricted-imports': ['error', { paths: [DOCKERODE] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lab-runner/docker/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  // Layers run one way: app -> course + lab-runner + lib, lab-runner -> course + lib, course -> lib, lib -> nothing of ours.
  layerFence(
    ['course/**'],
    '(^|/)(lab-runner|app)(/|$)',
    'The course model (course/) imports only lib/: the engine and the site import it, never the reverse.',
  ),
  layerFence(['lib/**'], '(^|/)(course|lab-runner|app)(/|$)', 'lib/ holds leaf utilities: it imports nothing of ours (course/, lab-runner/, app/).'),
  // app/ talks to the engine through its front door: the public index and the wire types, nothing deeper. Pages and
  // browser components do not reach into route internals either (what they share with routes is in lab-runner/wire/).
  // A later block's no-restricted-imports replaces the earlier one's, so each repeats the dockerode rule.
  { files: ['app/**'], rules: { 'no-restricted-imports': ['error', { paths: [DOCKERODE], patterns: [ENGINE_FRONT_DOOR] }] } },
  {
    files: ['app/**'],
    ignores: ['app/api/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [DOCKERODE], patterns: [ENGINE_FRONT_DOOR, NO_ROUTE_INTERNALS] }] },
  },
];

export default config;

/** Forbids `files` to import what `regex` matches. Repeats the dockerode fence: a later rule set replaces an earlier one. */
function layerFence(files, regex, message) {
  return { files, rules: { 'no-restricted-imports': ['error', { paths: [DOCKERODE], patterns: [{ regex, message }] }] } };
}
