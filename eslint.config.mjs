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
];

export default config;
