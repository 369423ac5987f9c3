// End-to-end tests against the real server: `npm run build` once, then `node server.ts` in production mode
// on its own port with a throwaway DATA_DIR. Chromium as every config here launches it (tests/e2e/chromium-launch.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/e2e/chromium-launch.ts';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// The config is evaluated again in every worker: create the data directory once and hand it down by env.
if (!process.env.E2E_DATA_DIR) process.env.E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-'));

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  // Its own folder: Playwright empties its output folder before a run, and test-results/reports/ holds the reports of
  // npm test's earlier steps (tests/run-all.ts), which the Ubuntu-hosts workflow uploads.
  outputDir: 'test-results/e2e',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  // E2E_EXTERNAL_SERVER=1: the site already runs at E2E_PORT elsewhere (the stock-kernel VM serves it through a
  // forwarded port, tests/stock-host/vm.ts): start nothing, and fail rather than test a server started here.
  webServer:
    process.env.E2E_EXTERNAL_SERVER === '1'
      ? undefined
      : {
          command: 'npm run build && node server.ts',
          url: `${BASE_URL}/`,
          // A fresh build takes about a minute on two cores.
          timeout: 300_000,
          reuseExistingServer: !process.env.CI,
          // SIGTERM, not Playwright's default SIGKILL: the server then destroys its unclaimed warm-pool labs itself.
          gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
          stdout: 'pipe',
          stderr: 'pipe',
          env: {
            NODE_ENV: 'production',
            HOST: '127.0.0.1',
            PORT: String(PORT),
            DATA_DIR: process.env.E2E_DATA_DIR,
            // The throwaway DATA_DIR's labs (the warm pool too) outlive the run; any server's reaper removes
            // another store's labs once they expire, so keep that short.
            LAB_HARD_EXPIRY: process.env.LAB_HARD_EXPIRY ?? '30m',
            // Extend's ceiling; lab containers' expiry labels cover it, so it is kept short for the same reason.
            LAB_MAX_LIFETIME: process.env.LAB_MAX_LIFETIME ?? '45m',
          },
        },
});
