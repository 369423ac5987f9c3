// A class in the browser: a trainer creates it; two learners join in their own browser contexts (one with a
// password, one through single sign-on at a real OpenID Connect provider); one completes a task and the trainer's
// grid turns green within a second of the learner's own panel; the other types in their terminal and the trainer's
// read-only view shows it; the trainer resets that learner's lab and sends a class message both learners see; a
// learner who asks for help is flagged on the grid.
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { loadChallengeOrThrow } from '../../course/challenge/challenge-loader.ts';

const LESSON = 'pods/pods-and-network-namespaces';
const LESSON_URL = '/learn/pods/pods-and-network-namespaces';
const CHALLENGE_FILE = 'content/01-pods/01-pods-and-network-namespaces/challenge.yaml';
const PASSWORD = 'e2e password 1234';

test.describe.configure({ mode: 'serial' });

function admin(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['lab-runner/cli/admin.ts', ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, DATA_DIR: process.env.E2E_CLASSROOM_DATA_DIR, AUTH: 'accounts', LOG_LEVEL: 'warn' },
  });
  expect(r.status, r.stderr).toBe(0);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function register(page: Page, name: string, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Create an account instead' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function startLab(page: Page): Promise<void> {
  await page.goto(LESSON_URL);
  await page.getByRole('button', { name: 'Start lab' }).click();
  const term = page.getByTestId('terminal-node1');
  await expect(term).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
}

async function typeInTerminal(page: Page, script: string): Promise<void> {
  await page.getByRole('tab', { name: /^node1/ }).click();
  await page.getByTestId('terminal-node1').locator('.xterm').click();
  for (const line of script.split('\n')) {
    if (!line.trim()) continue;
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
}

test('a class: create, join (password and SSO), live grid, read-only terminal, reset, class message', async ({ browser }) => {
  const challenge = await loadChallengeOrThrow(CHALLENGE_FILE);
  const task1 = challenge.tasks[0]!;

  // The trainer signs up; the admin (made from the shell) grants trainer rights from the shell.
  const trainer = await newPage(browser);
  await trainer.goto('/signin?returnTo=/classes');
  await register(trainer, 'Tess Trainer', 'tess@example.test');
  await expect(trainer.getByTestId('account-name')).toHaveText('Tess Trainer');
  admin(['create-admin', '--email=root@example.test', '--name=Root'], 'root password 123\n');
  admin(['grant', '--email=tess@example.test', '--role=trainer']);
  // A role change signs the account out everywhere: Tess signs in again, now as a trainer.
  await trainer.goto('/signin?returnTo=/classes');
  await expect(trainer.getByTestId('account-name')).toHaveCount(0);
  await signIn(trainer, 'tess@example.test');
  await expect(trainer.getByTestId('account-name')).toHaveText('Tess Trainer');
  await trainer.goto('/classes');
  const form = trainer.getByRole('form', { name: 'New class' });
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Pods, e2e morning');
  await form.locator(`input[name="lessons"][value="${LESSON}"]`).check();
  await form.getByLabel('Capacity').fill('5');
  await form.getByRole('button', { name: 'Create class' }).click();
  await trainer.getByRole('link', { name: 'Pods, e2e morning' }).click();
  const enrollLink = (await trainer.getByTestId('enroll-link').textContent())!;
  expect(enrollLink).toMatch(/\/join\/[A-Za-z0-9_-]{32}$/);
  await expect(trainer.getByTestId('dashboard-live')).toHaveText('Live');

  // Learner A: password account, joins by the link.
  const ann = await newPage(browser);
  await ann.goto(enrollLink);
  await ann.getByTestId('join-sign-in').click();
  await register(ann, 'Ann Password', 'ann@example.test');
  await ann.getByRole('button', { name: 'Join this class' }).click();
  await expect(ann.getByTestId('class-path').locator(`[data-lesson="${LESSON}"]`)).toBeVisible();

  // Learner B: single sign-on at the provider (its own sign-in form), then joins.
  const bea = await newPage(browser);
  await bea.goto(enrollLink);
  await bea.getByTestId('join-sign-in').click();
  await bea.getByTestId('sso-sign-in').click();
  await expect(bea.getByRole('heading', { name: 'Test SSO sign-in' })).toBeVisible();
  await bea.getByLabel('Login').fill('bea');
  await bea.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  await bea.getByRole('button', { name: 'Join this class' }).click();
  await expect(bea.getByTestId('account-name')).toHaveText('SSO bea');

  // Both appear on the trainer's grid, live.
  await expect(trainer.getByTestId('learner-row-ann@example.test')).toBeVisible();
  await expect(trainer.getByTestId('learner-row-bea@example.test')).toBeVisible();

  // Ann completes task 1 in her terminal: her panel turns green, and the trainer's cell within a second of it.
  await startLab(ann);
  await startLab(bea);
  await typeInTerminal(ann, task1.solution.script);
  await ann.getByRole('tab', { name: /^Challenge/ }).click();
  const annTask = ann.getByTestId('challenge-panel').locator(`[data-task-id="${task1.id}"]`);
  const trainerCell = trainer.getByTestId('learner-row-ann@example.test').locator(`td[data-task="${task1.id}"]`);
  await expect(annTask).toHaveAttribute('data-status', 'passed', { timeout: 60_000 });
  const learnerSawIt = Date.now();
  await expect(trainerCell).toHaveAttribute('data-state', 'passed', { timeout: 5_000 });
  expect(Date.now() - learnerSawIt).toBeLessThan(1_000);

  // The trainer opens Bea: a read-only view of her terminal; Bea is told she is watched; her typing shows up.
  await trainer.getByTestId('learner-row-bea@example.test').getByRole('button', { name: 'SSO bea' }).click();
  await expect(trainer.getByTestId('watch-status')).toHaveText('live', { timeout: 15_000 });
  await expect(bea.getByTestId('trainer-watching')).toBeVisible();
  await typeInTerminal(bea, 'echo bea-types-$((6*7))');
  await expect(trainer.getByTestId('watch-terminal').locator('.xterm-rows')).toContainText('bea-types-42');
  // Keys pressed in the trainer's view go nowhere.
  await trainer.getByTestId('watch-terminal').click();
  await trainer.keyboard.type('echo trainer-typed');
  await trainer.keyboard.press('Enter');
  // Everything Bea's shell shows is mirrored to the trainer: after Bea's next command, the trainer's keys are nowhere.
  await typeInTerminal(bea, 'echo after-$((1+1))');
  const view = trainer.getByTestId('watch-terminal').locator('.xterm-rows');
  await expect(view).toContainText('after-2');
  await expect(view).not.toContainText('trainer-typed');

  // Reset Bea's lab: she is told; then a class message reaches both learners as a banner.
  const panel = trainer.getByTestId('learner-panel');
  await panel.getByRole('button', { name: 'Reset lab' }).click();
  await expect(trainer.getByRole('status').filter({ hasText: 'Lab reset.' })).toBeVisible({ timeout: 60_000 });
  await expect(bea.getByTestId('lab-notice')).toContainText('reset your lab');
  await trainer.getByLabel('Message to the class').fill('Break until 11:00');
  await trainer.getByRole('button', { name: 'Send to all' }).click();
  for (const p of [ann, bea]) await expect(p.getByTestId('class-banner')).toContainText('Break until 11:00');

  // Ann asks for help: her row on the trainer's grid is flagged.
  await ann.getByRole('button', { name: 'Ask for help' }).click();
  await expect(ann.getByRole('button', { name: 'Help is on its way' })).toBeDisabled();
  await expect(trainer.getByTestId('learner-row-ann@example.test').getByTitle('Asked for help')).toBeVisible();
});
