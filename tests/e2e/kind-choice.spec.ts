// "Open on a kind cluster" on a lesson with a kindSandbox: the button starts the kind lab instead of the bare-node
// one, the choice survives a reload (per lesson, in localStorage), and "Use the bare-node lab" goes back. On a host
// that cannot run kind (this one: cgroup v1, no privileged containers, no kindest/node image) the start must end in
// the server's own explanation in the pane — not a blank pane, not a spinner that never stops. Where kind can run,
// the lab starts instead; the spec then checks that the kind lab's terminals appear.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';

const LESSON_URL = '/learn/pods/pod-to-pod-on-one-node';
const LESSON_ID = 'pods/pod-to-pod-on-one-node';
const CHOICE_KEY = `packetwalk.lab-choice.${LESSON_ID}`;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

const placeholder = (page: Page) => page.getByTestId('lab-placeholder');
const storedChoice = (page: Page) => page.evaluate((k) => localStorage.getItem(k), CHOICE_KEY);

test('open on a kind cluster: the choice, its failure on this host, and the way back', async ({ page }) => {
  let kindStarts = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/labs' && (r.postData() ?? '').includes('"sandbox":"kind-default"')) kindStarts++;
  });

  await page.goto(LESSON_URL);
  await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
  await expect(placeholder(page)).toHaveAttribute('data-lab-choice', 'default');
  const kindButton = placeholder(page).getByRole('button', { name: 'Open on a kind cluster' });
  await expect(kindButton).toBeVisible();
  // The note says what the learner is choosing: cluster size, the first start's cost, the host requirement.
  await expect(placeholder(page).locator('#lab-kind-note')).toContainText('3-node');
  await expect(placeholder(page).locator('#lab-kind-note')).toContainText('about a minute');
  await expect(placeholder(page).locator('#lab-kind-note')).toContainText('can run kind');

  await kindButton.click();
  expect(await storedChoice(page)).toBe('kind');
  await expect(placeholder(page)).toHaveAttribute('data-lab-choice', 'kind');
  await expect.poll(() => kindStarts, { message: 'the kind sandbox is started (POST /api/labs {sandbox: kind-default})' }).toBe(1);

  // The start settles: an error naming why this host cannot run kind, or (on a kind-capable host) a live terminal.
  const error = placeholder(page).getByRole('alert');
  const kindTerminal = page.getByTestId('terminal-jumpbox');
  await expect(error.or(kindTerminal)).toBeVisible({ timeout: 180_000 });
  if (await error.isVisible()) {
    const message = (await error.textContent()) ?? '';
    console.log(`kind start on this host fails with: ${message.replace(/\s+/g, ' ').slice(0, 400)}`);
    expect(message).toMatch(/kind/i);
    // The reason itself: the host check that failed, or the missing node image.
    expect(message).toMatch(/cgroup|inotify|privileged|kindest\/node|not on the Docker host|pull/i);
    await expect(page.getByTestId('lab-status')).toHaveText('Not started');
    await expect(placeholder(page).getByRole('button', { name: 'Start lab' })).toBeEnabled();
  } else {
    await expect(kindTerminal).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  }

  // A reload finds the kind choice again (and, where kind runs, its lab).
  await page.reload();
  await expect(page.getByTestId('lab-status')).not.toHaveText(/Looking for your lab/, { timeout: 30_000 });
  if (await kindTerminal.isVisible()) {
    await page.getByRole('button', { name: 'Use the bare-node lab' }).click();
  } else {
    await expect(placeholder(page)).toHaveAttribute('data-lab-choice', 'kind');
    await expect(placeholder(page)).toContainText('kind-default · kind cluster'); // the kind sandbox's card, not nodes-1's
    await placeholder(page).getByRole('button', { name: 'Use the bare-node lab' }).click();
  }

  // Back to the default: the bare-node card with its normal start, and the kind offer again.
  await expect(placeholder(page)).toHaveAttribute('data-lab-choice', 'default');
  expect(await storedChoice(page)).toBeNull();
  await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
  await expect(placeholder(page).getByRole('alert')).toHaveCount(0);
  await expect(placeholder(page).getByRole('button', { name: 'Open on a kind cluster' })).toBeVisible();
  const kindStartsBefore = kindStarts;
  await placeholder(page).getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
  expect(kindStarts, 'Start lab on the default choice starts the bare-node lab, not kind').toBe(kindStartsBefore);
  await page.reload();
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
});
