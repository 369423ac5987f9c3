// Classroom e2e (#17): the site with AUTH=accounts plus single sign-on through a real OpenID Connect provider (the
// oidc-provider package) on loopback, each learner in their own browser context. Separate from playwright.config.ts
// because the site must start with other settings (accounts, SSO) than the anonymous default the other specs test.
//   E2E_CLASSROOM_PORT (default E2E_PORT + 50) for the site, the next port for the provider.
//   E2E_REUSE_BUILD=1 skips `next build` (tests/run-all.ts sets it: the main e2e run built the site just before).
// classroom-behind-tls.spec.ts starts a second server of its own (AUTH=accounts + SSO behind nginx, https) on ports
// E2E_CLASSROOM_PORT + 10 to + 13, from the build the web server below has made or reused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/e2e/chromium-launch.ts';

const PORT = Number(process.env.E2E_CLASSROOM_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 50);
const PROVIDER_PORT = PORT + 1;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const ISSUER = `http://127.0.0.1:${PROVIDER_PORT}`;

if (!process.env.E2E_CLASSROOM_DATA_DIR) process.env.E2E_CLASSROOM_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-classroom-'));

export default defineConfig({
  testDir: 'tests/e2e-classroom',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/classroom',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  webServer: [
    {
      command: `node tests/e2e-classroom/oidc-provider-server.ts ${PROVIDER_PORT} ${BASE_URL}`,
      url: `${ISSUER}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
    },
    {
      command: process.env.E2E_REUSE_BUILD === '1' ? 'node server.ts' : 'npm run build && node server.ts',
      url: `${BASE_URL}/`,
      timeout: 300_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(PORT),
        DATA_DIR: process.env.E2E_CLASSROOM_DATA_DIR,
        LAB_HARD_EXPIRY: '30m',
        WARM_POOL: 'nodes-2=1',
        AUTH: 'accounts',
        OIDC_ISSUER: ISSUER,
        OIDC_CLIENT_ID: 'packetwalk-test',
        OIDC_CLIENT_SECRET: 'test-secret-that-is-long-enough-0123456789',
        PUBLIC_URL: BASE_URL,
      },
    },
  ],
});
