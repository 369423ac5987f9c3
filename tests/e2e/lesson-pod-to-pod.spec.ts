// Lesson 2 ("Pod to pod on one node") done the way a learner does it: start the bare-node lab from the lesson page
// and type, into node1's browser terminal, the commands of each task's written solution (the ```bash block the
// learner reads when they reveal it). The found-answer task has no answer to copy: its port name is read off the
// terminal screen from the output of the lookup command and typed back. Every task must turn green by itself (no
// Check click), in order, and the challenge must end complete. The run's wall time is printed for the lead.
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { loadChallengeOrThrow } from '../../course/challenge/challenge-loader.ts';
import type { Task } from '../../course/challenge/challenge-schema.ts';
import { screenLines } from './terminal-buffer.ts';

const LESSON_URL = '/learn/pods/pod-to-pod-on-one-node';
const CHALLENGE_FILE = 'content/01-pods/02-pod-to-pod-on-one-node/challenge.yaml';
/** The placeholder the written solution uses where the learner puts the port they found. */
const PORT_PLACEHOLDER = /vethX{4,}/;

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const panel = (page: Page) => page.getByTestId('challenge-panel');
const task = (page: Page, id: string): Locator => panel(page).locator(`[data-task-id="${id}"]`);

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

/** The commands of a task's written solution: the first ```bash block of solution.text, blank lines dropped. */
function writtenCommands(t: Task): string[] {
  const block = /```bash\n([\s\S]*?)```/.exec(t.solution.text ?? '');
  if (!block) throw new Error(`task ${t.id}: its written solution has no bash block to type`);
  return block[1]!.split('\n').filter((l) => l.trim() !== '');
}

async function focusTerminal(page: Page, target: string): Promise<void> {
  await openTab(page, target);
  const term = page.getByTestId(`terminal-${target}`);
  await expect(term).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await term.locator('.xterm').click();
}

/** Types lines into the focused terminal as a learner would, one Enter per line. */
async function typeLines(page: Page, lines: string[]): Promise<void> {
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
}

test('lesson 2, completed by typing into the terminal', async ({ page }) => {
  const t0 = Date.now();
  const challenge = await loadChallengeOrThrow(CHALLENGE_FILE);
  const tasks = challenge.tasks;
  expect(tasks.length).toBeGreaterThan(1);
  const checkRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/challenge/check')) checkRequests.push(r.url());
  });

  await page.goto(LESSON_URL);
  await expect(page.getByTestId('lab-status')).toHaveText('Not started', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
  const labReadyMs = Date.now() - t0;
  await openTab(page, 'Challenge');
  await expect(panel(page).getByTestId('challenge-last-check')).toHaveText(/checked \d+ s ago/, { timeout: 30_000 });
  await expect(task(page, tasks[0]!.id)).toHaveAttribute('data-status', 'failed');

  const perTask: string[] = [];
  for (const t of tasks) {
    const started = Date.now();
    const target = t.target;
    const lines = writtenCommands(t);
    await focusTerminal(page, target);
    const answerLine = lines.findIndex((l) => PORT_PLACEHOLDER.test(l.replace(/\s#.*$/, ''))); // in the command, not a comment
    if (answerLine < 0) {
      await typeLines(page, lines);
    } else {
      // The found answer: run the lookup, read the port off the screen, then write it where the task asks.
      await typeLines(page, lines.slice(0, answerLine));
      const mac = /02(:[0-9a-f]{2}){5}/i.exec(t.description)![0]!;
      const learned = new RegExp(`^${mac} dev (\\S+) .*master cbr0`, 'i');
      let port = '';
      await expect
        .poll(
          async () => {
            for (const l of await screenLines(page, target)) {
              const m = learned.exec(l.trim());
              if (m) port = m[1]!;
            }
            return port;
          },
          { message: `node1's screen shows the cbr0 port where ${mac} was learned`, timeout: 20_000 },
        )
        .toMatch(/^veth[0-9a-f]{8}$/);
      await typeLines(page, [lines[answerLine]!.replace(PORT_PLACEHOLDER, port), ...lines.slice(answerLine + 1)]);
    }
    await openTab(page, 'Challenge');
    await expect(task(page, t.id), `${t.id} turns green by itself`).toHaveAttribute('data-status', 'passed', { timeout: 30_000 });
    for (const later of tasks.slice(tasks.indexOf(t) + 1)) {
      expect(await task(page, later.id).getAttribute('data-status'), `${later.id} passed before its commands were typed`).not.toBe('passed');
    }
    perTask.push(`${t.id} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  await expect(panel(page).getByTestId('challenge-complete')).toBeVisible();
  await expect(panel(page).getByTestId('challenge-progress')).toHaveText(`${tasks.length}/${tasks.length}`);
  expect(checkRequests, 'no Check click was needed').toEqual([]);

  const total = ((Date.now() - t0) / 1000).toFixed(1);
  const summary = `lesson 2 completed by typing in ${total} s (lab live after ${(labReadyMs / 1000).toFixed(1)} s; ${perTask.join(', ')})`;
  test.info().annotations.push({ type: 'timing', description: summary });
  console.log(summary);
});
