import { defineConfig } from 'vitest/config';

// The V8 flags a run was started with that its test workers must share too: vitest hands on only the profiling ones.
// The stock-kernel VM runs node with --liftoff-only (tests/stock-host/guest-run.sh says why).
const sharedV8Flags = process.execArgv.filter((flag) => flag === '--liftoff-only');

// Three projects: unit (no Docker), integration (a real Docker engine), kind (a real kind node image; skips itself when absent).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          environment: 'node',
          execArgv: sharedV8Flags,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          execArgv: sharedV8Flags,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Docker-heavy files run one at a time: two cores, and some tests measure isolation between labs.
          fileParallelism: false,
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'kind',
          include: ['tests/kind/**/*.test.ts'],
          environment: 'node',
          execArgv: sharedV8Flags,
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
