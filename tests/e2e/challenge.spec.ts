// The reference lesson done the way a learner does it: commands typed into the browser terminals of a real lab.
// Tasks turn green in order without any Check click; a hint and the solution can be revealed; a reload shows the same
// progress; resetting the lab brings the break-fix fault back. Commands are the challenge's own solution scripts,
// typed line by line, so the spec follows the lesson as it evolves.
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { loadChallengeOrThrow } from '../../course/challenge/challenge-loader.ts';
import type { Task } from '../../course/challenge/challenge-schema.ts';

const LESSON_URL = '/learn/pods/pods-and-network-namespaces';
const CHALLENGE_FILE = 'content/01-pods/01-pods-and-network-namespaces/challenge.yaml';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

const panel = (page: Page) => page.getByTestId('challenge-panel');
const task = (page: Page, id: string): Locator => panel(page).locator(`[data-task-id="${id}"]`);

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

/** Types a script into a target's terminal, one line at a time, as a learner pasting commands would. */
async function typeInTerminal(page: Page, target: string, script: string): Promise<void> {
  await openTab(page, target);
  const term = page.getByTestId(`terminal-${target}`);
  await expect(term).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await term.locator('.xterm').click();
  for (const line of script.split('\n')) {
    if (!line.trim()) continue;
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
}

async function statuses(page: Page, tasks: Task[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const t of tasks) out[t.id] = await task(page, t.id).getAttribute('data-status');
  return out;
}

test('the reference lesson, done in the browser', async ({ page }) => {
  const challenge = await loadChallengeOrThrow(CHALLENGE_FILE);
  const tasks = challenge.tasks;
  const checkRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/challenge/check')) checkRequests.push(r.url());
  });

  await page.goto(LESSON_URL);
  await page.getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByTestId('terminal-node1')).toBeVisible({ timeout: 60_000 });
  await openTab(page, 'Challenge');
  await expect(panel(page)).toBeVisible();
  await expect(panel(page).getByTestId('challenge-last-check')).toHaveText(/checked \d+ s ago/, { timeout: 30_000 });
  await expect(task(page, tasks[0]!.id)).toHaveAttribute('data-status', 'failed');
  const blocked = tasks.filter((t) => t.needs.length > 0);
  for (const t of blocked) await expect(task(page, t.id)).toHaveAttribute('data-status', 'blocked');

  // The break-fix fault is there on a fresh lab.
  const breakFix = tasks.find((t) => t.invariants.length > 0)!;
  await expect(task(page, breakFix.id)).toHaveAttribute('data-status', 'failed');
  await expect(task(page, breakFix.id).getByTestId('task-verdict')).toBeVisible();

  // A hint, then the solution (after confirming), on the found-answer task before solving it.
  const found = tasks.find((t) => /answers\//.test(t.check))!;
  await openTab(page, 'Challenge');
  await task(page, found.id).getByRole('button', { name: /^Hint/ }).click();
  await expect(task(page, found.id).getByTestId('task-hint')).toHaveCount(1);
  await task(page, found.id).getByRole('button', { name: 'Show solution' }).click();
  await task(page, found.id).getByRole('group', { name: 'Confirm showing the solution' }).getByRole('button', { name: 'Show solution' }).click();
  await expect(task(page, found.id).getByTestId('task-solution')).toBeVisible();

  // Solve task by task in the terminals; each turns green by itself, and none turns green before its own commands.
  const passedOrder: string[] = [];
  for (const t of tasks) {
    await typeInTerminal(page, t.solution.target ?? t.target, t.solution.script);
    await openTab(page, 'Challenge');
    await expect(task(page, t.id)).toHaveAttribute('data-status', 'passed', { timeout: 15_000 });
    passedOrder.push(t.id);
    const now = await statuses(page, tasks);
    for (const later of tasks.slice(tasks.indexOf(t) + 1)) expect(now[later.id], `${later.id} passed before its commands were typed`).not.toBe('passed');
  }
  expect(passedOrder).toEqual(tasks.map((t) => t.id));
  await expect(panel(page).getByTestId('challenge-complete')).toBeVisible();
  await expect(panel(page).getByTestId('challenge-progress')).toHaveText(`${tasks.length}/${tasks.length}`);
  expect(checkRequests).toEqual([]); // no Check click was needed

  // Reload: the same progress, the revealed hint and solution still there.
  await page.reload();
  await openTab(page, 'Challenge');
  await expect(panel(page).getByTestId('challenge-progress')).toHaveText(`${tasks.length}/${tasks.length}`, { timeout: 30_000 });
  for (const t of tasks) await expect(task(page, t.id)).toHaveAttribute('data-status', 'passed');
  await expect(task(page, found.id).getByTestId('task-hint')).toHaveCount(1);
  await expect(task(page, found.id).getByTestId('task-solution')).toBeVisible();

  // The catalog shows the lesson as done.
  await page.goto('/');
  await expect(page.locator('[data-testid="catalog-lesson"]', { has: page.locator(`a[href="${LESSON_URL}"]`) }).getByTestId('lesson-progress')).toHaveText(
    /done/,
  );

  // Reset the lab: fresh nodes, setup again, the break-fix fault is back and the fresh lab is graded from scratch.
  await page.goto(LESSON_URL);
  await openTab(page, 'Challenge');
  await expect(panel(page).getByTestId('challenge-progress')).toHaveText(`${tasks.length}/${tasks.length}`, { timeout: 30_000 });
  await panel(page).getByRole('button', { name: 'Reset lab' }).click();
  await panel(page).getByRole('group', { name: 'Confirm lab reset' }).getByRole('button', { name: 'Reset lab' }).click();
  await expect(task(page, tasks[0]!.id)).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
  if (breakFix.needs.length > 0) await expect(task(page, breakFix.id)).toHaveAttribute('data-status', 'blocked');
  // Solve the prerequisites again by typing, then the break-fix task shows its fault again.
  for (const need of breakFix.needs) {
    const t = tasks.find((x) => x.id === need)!;
    await typeInTerminal(page, t.solution.target ?? t.target, t.solution.script);
  }
  await openTab(page, 'Challenge');
  await expect(task(page, breakFix.id)).toHaveAttribute('data-status', 'failed', { timeout: 30_000 });
  await expect(task(page, breakFix.id).getByTestId('task-verdict')).toBeVisible();
});
