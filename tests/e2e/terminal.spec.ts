// The browser terminal in real Chromium against the real server and a real lab: start the lab from the lesson,
// type into a node's shell, run a command from the prose with its <Run> button, reload and get the same screen.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { screenLines } from './terminal-buffer.ts';
import AxeBuilder from '@axe-core/playwright';

const LESSON_URL = '/learn/pods/pods-and-network-namespaces';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

async function waitForScreen(page: Page, target: string, test: (lines: string[]) => boolean, what: string): Promise<string[]> {
  let last: string[] = [];
  await expect
    .poll(
      async () => {
        last = await screenLines(page, target);
        return test(last);
      },
      { message: `terminal ${target} shows ${what}`, timeout: 30_000 },
    )
    .toBe(true);
  return last;
}

const promptAtEnd = (lines: string[]) => /[#$]\s*$/.test(lines.at(-1) ?? '');

test('a lab terminal: start, type, <Run>, reload', async ({ page }) => {
  await page.goto(LESSON_URL);
  // No xterm code is loaded before a lab is open.
  const xtermBefore = await page.evaluate(() => !!document.querySelector('.xterm'));
  expect(xtermBefore).toBe(false);

  await page.getByRole('button', { name: 'Start lab' }).click();
  const term = page.getByTestId('terminal-node1');
  await expect(term).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
  await expect(page.getByRole('tab', { name: /^node1/ })).toBeVisible();
  await expect(page.getByRole('tab', { name: /^node2/ })).toBeVisible();
  await waitForScreen(page, 'node1', promptAtEnd, 'a prompt');

  // Type like a learner.
  await term.locator('.xterm').click();
  await page.keyboard.type('hostname');
  await page.keyboard.press('Enter');
  await waitForScreen(page, 'node1', (l) => l.includes('node1') && promptAtEnd(l), 'the output of hostname');

  // A <Run> button from the lesson types its command into the right tab.
  const run = page
    .locator('[data-target="node2"]')
    .filter({ has: page.getByRole('button', { name: 'Run' }) })
    .first();
  const hasNode2Run = (await run.count()) > 0;
  const block = hasNode2Run
    ? run
    : page
        .locator('[data-target="node1"]')
        .filter({ has: page.getByRole('button', { name: 'Run' }) })
        .first();
  const target = (await block.getAttribute('data-target'))!;
  const command = ((await block.locator('code').textContent()) ?? '').replace(/^\$\s*/, '').trim();
  expect(command.length).toBeGreaterThan(0);
  await block.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('tab', { name: new RegExp(`^${target}`) })).toHaveAttribute('aria-selected', 'true');
  const afterRun = await waitForScreen(
    page,
    target,
    (l) => {
      const at = l.findIndex((line) => line.includes(command.slice(0, 40)));
      return at >= 0 && at < l.length - 1 && promptAtEnd(l);
    },
    `the command "${command}" and a prompt after it`,
  );
  expect(afterRun.join('\n')).toContain(command.slice(0, 40));

  // Reload: the same lab, the same shell, the same screen.
  await expect(page.getByTestId(`terminal-${target}`)).toHaveAttribute('data-status', 'live');
  await page.waitForTimeout(500);
  const before = await screenLines(page, target);
  await page.reload();
  await expect(page.getByTestId(`terminal-${target}`)).toHaveAttribute('data-status', 'live', { timeout: 60_000 });
  await page.getByRole('tab', { name: new RegExp(`^${target}`) }).click();
  const after = await waitForScreen(page, target, (l) => l.length >= before.length, 'the restored screen');
  expect(after).toEqual(before);
  // And it is the same shell: what was typed before the reload is still in node1's history.
  await page.getByRole('tab', { name: /^node1/ }).click();
  await waitForScreen(page, 'node1', (l) => l.some((x) => /[#$] hostname$/.test(x)), 'the earlier hostname command');
});

test('the lab pane with live terminals has no serious accessibility violations', async ({ page }) => {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(LESSON_URL);
    // Each test has its own browser context (a new learner); the second pass finds the lab the first started.
    const status = page.getByTestId('lab-status');
    await expect(status).not.toHaveText(/Looking for your lab/, { timeout: 30_000 });
    if ((await status.textContent())?.includes('Not started')) await page.getByRole('button', { name: 'Start lab' }).click();
    await expect(page.getByTestId('terminal-node1')).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
    const result = await new AxeBuilder({ page }).include('[data-testid="lab-pane"]').analyze();
    const serious = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    expect(serious, `axe on the lab pane (${theme})`).toEqual([]);
  }
});
