// Practice (#19) in the browser, on real labs: the expiry warning and Extend, "Rewind to before this task" from the
// challenge panel, and a short exam end to end with the timer running out. Time is shortened by writing the server's
// store (the e2e server's DATA_DIR), as the passing of time would: nothing in the server is mocked.
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { loadChallengeOrThrow } from '../../course/challenge/challenge-loader.ts';
import { contentLessonChallenges } from '../../course/challenge/lesson-challenges.ts';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const LESSON_URL = '/learn/pods/pods-and-network-namespaces';
const CHALLENGE_FILE = 'content/01-pods/01-pods-and-network-namespaces/challenge.yaml';

function store<T>(fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path.join(process.env.E2E_DATA_DIR!, 'packetwalk.sqlite'), { timeout: 5_000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

/** Types a script into a terminal, line by line, as a learner pasting commands would. */
async function typeLines(page: Page, terminal: ReturnType<Page['getByTestId']>, script: string): Promise<void> {
  await expect(terminal).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  await terminal.locator('.xterm').click();
  for (const line of script.split('\n')) {
    if (!line.trim()) continue;
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
}

async function startLessonLab(page: Page): Promise<string> {
  await page.goto(LESSON_URL);
  await page.getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByTestId('terminal-node1')).toBeVisible({ timeout: 90_000 });
  const res = await page.request.get(`/api/labs?sandbox=nodes-2&lesson=pods/pods-and-network-namespaces`);
  return ((await res.json()) as { lab: { id: string } }).lab.id;
}

test('the expiry warning appears ten minutes before the end, and Extend moves the end', async ({ page }) => {
  const labId = await startLessonLab(page);
  await expect(page.getByTestId('lab-time-left')).toHaveText(/left/, { timeout: 30_000 });
  await expect(page.getByTestId('lab-expiry-warning')).toHaveCount(0);
  // Five minutes left on the lab's hard expiry, as if it had been open for hours.
  const soon = Date.now() + 5 * 60_000;
  store((db) => db.prepare('UPDATE labs SET expires_at = ? WHERE id = ?').run(soon, labId));
  await page.reload();
  const warning = page.getByTestId('lab-expiry-warning');
  await expect(warning).toBeVisible({ timeout: 30_000 });
  await expect(warning).toHaveAttribute('data-ends-by', 'expiry');
  await expect(warning).toContainText(/Lab ends in [45]:\d\d/);
  await warning.getByRole('button', { name: 'Extend' }).click();
  await expect(warning).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('lab-time-left')).toHaveText(/^(\d+:)?\d+:\d\d left$/);
  const expiresAt = store((db) => (db.prepare('SELECT expires_at FROM labs WHERE id = ?').get(labId) as { expires_at: number }).expires_at);
  expect(expiresAt).toBeGreaterThan(soon + 10 * 60_000);
});

test('rewind to before a task from the challenge panel: earlier tasks replayed, this one open again', async ({ page }) => {
  const tasks = (await loadChallengeOrThrow(CHALLENGE_FILE)).tasks;
  const [first, second] = [tasks[0]!, tasks[1]!];
  await startLessonLab(page);
  const panel = page.getByTestId('challenge-panel');
  const task = (id: string) => panel.locator(`[data-task-id="${id}"]`);
  for (const t of [first, second]) {
    await openTab(page, t.solution.target ?? t.target);
    await typeLines(page, page.getByTestId(`terminal-${t.solution.target ?? t.target}`), t.solution.script);
    await openTab(page, 'Challenge');
    await expect(task(t.id)).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  }
  await task(second.id).getByTestId('task-rewind').click();
  await task(second.id).getByRole('group', { name: 'Confirm rewind' }).getByRole('button', { name: 'Rewind' }).click();
  // The fresh lab: task 1's solution replayed (passes again), task 2 open again.
  await openTab(page, 'Challenge');
  await expect(task(second.id)).toHaveAttribute('data-status', 'failed', { timeout: 120_000 });
  await expect(task(first.id)).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  // The terminals reconnect to the fresh nodes.
  await openTab(page, 'node1');
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
});

test('an expired lab says what happened and offers rewind to where the learner was', async ({ page }) => {
  const first = (await loadChallengeOrThrow(CHALLENGE_FILE)).tasks[0]!;
  const labId = await startLessonLab(page);
  const target = first.solution.target ?? first.target;
  await openTab(page, target);
  await typeLines(page, page.getByTestId(`terminal-${target}`), first.solution.script);
  await openTab(page, 'Challenge');
  const panel = page.getByTestId('challenge-panel');
  await expect(panel.locator(`[data-task-id="${first.id}"]`)).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
  // Its time is up: the server's reaper destroys it on its next pass (REAPER_INTERVAL, a minute).
  store((db) => db.prepare('UPDATE labs SET expires_at = ? WHERE id = ?').run(Date.now() - 1_000, labId));
  const gone = page.getByTestId('lab-gone');
  await expect(gone).toBeVisible({ timeout: 150_000 });
  await expect(gone).toHaveAttribute('data-why', 'expired');
  await expect(gone).toContainText('Lab expired');
  await gone.getByRole('button', { name: 'Rewind to where you were' }).click();
  // A new lab, rebuilt with the first task's solution: it passes again without typing anything.
  await expect(gone).toHaveCount(0, { timeout: 120_000 });
  await openTab(page, 'Challenge');
  await expect(panel.locator(`[data-task-id="${first.id}"]`)).toHaveAttribute('data-status', 'passed', { timeout: 60_000 });
  const now = await page.request.get(`/api/labs?sandbox=nodes-2&lesson=pods/pods-and-network-namespaces`);
  expect(((await now.json()) as { lab: { id: string } }).lab.id).not.toBe(labId);
});

test('a short exam, end to end: labs, timer, flag for review, a task solved in its terminal, time runs out, results', async ({ page }) => {
  await page.goto('/exam');
  const card = page.getByTestId('exam-card').first();
  await expect(card).toBeVisible();
  await card.getByRole('button', { name: 'Start the exam' }).click();
  await expect(page).toHaveURL(/\/exam\/ex-[0-9a-f]{12}$/, { timeout: 240_000 });
  const attemptId = page.url().split('/').at(-1)!;
  await expect(page.getByTestId('exam-timer')).toHaveText(/\d+:\d\d left/);
  const rows = page.getByTestId('exam-task');
  await expect(rows).toHaveCount(3);
  // No hints, no solutions while it runs.
  await expect(page.getByRole('button', { name: /Hint|Show solution/ })).toHaveCount(0);
  await rows
    .nth(1)
    .getByRole('checkbox', { name: /flag for review/ })
    .check();
  await expect(rows.nth(1)).toHaveAttribute('data-flagged', 'true');

  // Solve task 1 in its terminal with the solution of the drawn task (read from the attempt the server stored).
  const drawn = store(
    (db) =>
      JSON.parse((db.prepare('SELECT tasks FROM exam_attempts WHERE id = ?').get(attemptId) as { tasks: string }).tasks) as { lesson: string; task: string }[],
  );
  const lesson = await contentLessonChallenges('content').get(drawn[0]!.lesson);
  const t0 = lesson!.challenge.tasks.find((t) => t.id === drawn[0]!.task)!;
  await rows.nth(0).getByRole('button').first().click();
  const target = t0.solution.target ?? t0.target;
  await page.getByRole('tab', { name: new RegExp(`^${target}`) }).click();
  await typeLines(page, page.getByTestId(`terminal-${target}`), t0.solution.script);
  await page.waitForTimeout(3_000); // let the last command finish in the lab

  // The clock runs out: 15 s left from now.
  store((db) => db.prepare('UPDATE exam_attempts SET ends_at = ? WHERE id = ?').run(Date.now() + 15_000, attemptId));
  const results = page.getByTestId('exam-results');
  await expect(results).toBeVisible({ timeout: 120_000 });
  await expect(results).toContainText('Time ran out');
  await expect(page.getByTestId('exam-score')).toHaveText(/Score: [1-3]\/3/);
  const graded = page.getByTestId('exam-result');
  await expect(graded).toHaveCount(3);
  await expect(graded.nth(0)).toHaveAttribute('data-passed', 'true');
  await expect(graded.nth(0).getByRole('link', { name: lesson!.title })).toHaveAttribute('href', lesson!.href);
  await expect(graded.nth(1).locator('summary', { hasText: 'Solution' })).toBeVisible();
  // The attempt is kept with its score.
  await page.goto('/exam');
  await expect(page.getByTestId('exam-attempt-row').first()).toContainText(/[1-3]\/3/);
});
