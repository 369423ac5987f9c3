// Found by the classroom rehearsal behind TLS (classroom-behind-tls.spec.ts): Chromium aborts requests in flight with
// ERR_NETWORK_CHANGED whenever a Docker bridge network appears or goes (anyone's lab starting on the same machine).
// The lab page repeats its reads then (tests/e2e/network-change.spec.ts); the classroom pages' reads must too, or the
// sign-in page shows "Failed to fetch" instead of its form. Here every /api/auth/me read during the first second is
// cut off the way such a change cuts it.
import { expect, test } from '@playwright/test';

test('the sign-in page survives a network change: its reads are repeated, the form appears, no error', async ({ page }) => {
  let firstAt: number | undefined;
  let cut = 0;
  await page.route('**/api/auth/me', (route) => {
    firstAt ??= Date.now();
    if (Date.now() - firstAt < 1_000) {
      cut++;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.goto('/signin?returnTo=/classes');
  await expect(page.getByTestId('sso-sign-in')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
  expect(cut, 'reads were cut off').toBeGreaterThan(0);
});
