// #13 item 10: on a laptop the browser runs where Docker runs, and Chromium aborts requests in flight
// (ERR_NETWORK_CHANGED) whenever a bridge network appears or goes. Everything the lesson page depends on survives
// that without the learner noticing: here a Docker network is created and removed while the lab starts, and the
// first request of each kind the page makes (find the lab, start it, the terminal's ticket) is cut off by the
// network as well, so the page must retry or reconnect on its own: no error shown, no full reload.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';

const LESSON_URL = '/learn/pods/pod-to-pod-on-one-node';

test.describe.configure({ timeout: 180_000 });

test('a network change mid-start: the lab still starts and the terminal opens, without a reload', async ({ page }) => {
  const runtime = new DockerRuntime();
  const cut = { find: 0, start: 0, ticket: 0 };
  // The first of each request dies the way ERR_NETWORK_CHANGED kills it: the connection goes away mid-request.
  await page.route(/\/api\/labs\?sandbox=/, (route) => (cut.find++ === 0 ? route.abort('connectionreset') : route.continue()));
  await page.route(/\/api\/labs$/, (route) => (route.request().method() === 'POST' && cut.start++ === 0 ? route.abort('connectionreset') : route.continue()));
  await page.route(/\/api\/labs\/[^/]+\/ticket$/, (route) => (cut.ticket++ === 0 ? route.abort('connectionreset') : route.continue()));

  await page.goto(LESSON_URL);
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const start = page.getByRole('button', { name: 'Start lab' });
  await expect(start).toBeVisible({ timeout: 30_000 });

  const name = `pw-e2e-netchange-${randomBytes(4).toString('hex')}`;
  let networkId: string | undefined;
  try {
    await start.click();
    // While the lab starts: a bridge appears on the host (with an address), then goes again.
    networkId = (await runtime.createNetwork({ name, internal: true, labels: {} })).id;
    await new Promise((r) => setTimeout(r, 500));
    await runtime.removeNetwork(networkId);
    networkId = undefined;

    const term = page.getByTestId('terminal-node1');
    await expect(term).toHaveAttribute('data-status', 'live', { timeout: 120_000 });
  } finally {
    if (networkId) await runtime.removeNetwork(networkId).catch(() => undefined);
  }
  expect(cut.start).toBeGreaterThanOrEqual(2);
  expect(cut.find).toBeGreaterThanOrEqual(2);
  expect(cut.ticket).toBeGreaterThanOrEqual(2);
  // Same document: nothing fell back to a full page load, and no error reached the learner.
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  // (Next's route announcer is an empty alert region: only alerts with text are errors.)
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);

  // Leave nothing running: stop the lab this test started.
  const res = await page.request.get('/api/labs');
  for (const lab of ((await res.json()) as { labs: { id: string }[] }).labs) await page.request.delete(`/api/labs/${lab.id}`);
});
