// How every Playwright config here launches Chromium: CHROMIUM_PATH, else /usr/bin/chromium when present (machines
// without internet cannot download Playwright's browsers), else Playwright's own; with flags that keep headless
// Chromium from hanging or phoning home on a closed network.
import fs from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: chromiumPath(),
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
