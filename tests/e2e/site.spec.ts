// The site as a learner meets it: the catalog, a lesson page, its widgets, both themes, accessibility, and
// what the browser downloads. Expectations are derived from the content the server is serving (CONTENT_DIR),
// read here with the same pipeline, so the spec follows the course as lessons are added.
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { compileMdx } from '../../course/content/compile-mdx.ts';
import type { CompiledMdx } from '../../course/content/compile-mdx.ts';
import { contentRootsFromEnv } from '../../course/content/content-paths.ts';
import { loadContent } from '../../course/content/load-content.ts';
import type { LessonEntry } from '../../course/content/load-content.ts';

const course = loadContent(contentRootsFromEnv().contentDir).index;
const compiled = new Map<string, Promise<CompiledMdx>>();
const compile = (lesson: LessonEntry) => {
  if (!compiled.has(lesson.file)) compiled.set(lesson.file, compileMdx(lesson.body, lesson.file));
  return compiled.get(lesson.file)!;
};

const firstLesson = course.lessons[0];

/** Console errors and uncaught exceptions on a page; every test ends by asserting there were none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

async function seriousA11yViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

/** Wait until React has hydrated the page (the theme toggle gets its real label only on the client). */
async function hydrated(page: Page) {
  await expect(page.getByTestId('theme-toggle')).toHaveAttribute('aria-label', /Switch to (light|dark) theme/);
}

test.beforeAll(() => {
  expect(course.lessons.length, 'the course has at least one lesson').toBeGreaterThan(0);
});

test('the catalog lists every module and lesson in order, with time and sandbox', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const modules = page.getByTestId('catalog-module');
  await expect(modules).toHaveCount(course.modules.length);
  for (const [i, mod] of course.modules.entries()) {
    await expect(modules.nth(i).getByRole('heading', { level: 2 })).toContainText(mod.metadata.title);
  }
  const rows = page.getByTestId('catalog-lesson');
  await expect(rows).toHaveCount(course.lessons.length);
  for (const [i, lesson] of course.lessons.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole('link', { name: lesson.frontmatter.title, exact: true })).toHaveAttribute('href', lesson.href);
    await expect(row).toContainText(lesson.frontmatter.sandbox);
    await expect(row).toContainText(`${lesson.frontmatter.minutes} min`);
  }
  await hydrated(page);
  expect(errors).toEqual([]);
});

test('a lesson renders its title, headings with stable ids, highlighted code and its diagram', async ({ page }) => {
  const lesson = firstLesson!;
  const mdx = await compile(lesson);
  const errors = watchConsole(page);
  await page.goto(lesson.href);

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.frontmatter.title);
  const prose = page.getByTestId('lesson-prose');
  const h2s = mdx.headings.filter((h) => h.depth === 2);
  expect(h2s.length).toBeGreaterThan(0);
  for (const h of h2s) {
    await expect(prose.locator(`h2[id="${h.id}"]`)).toContainText(h.text);
    await expect(page.getByRole('navigation', { name: 'On this page' }).locator(`a[href="#${h.id}"]`)).toHaveText(h.text);
  }

  // Highlighted on the server: shiki's spans carry both themes' colours; no highlighter runs in the browser.
  const code = prose.locator('pre.shiki');
  await expect(code.first()).toBeVisible();
  await expect(code.first().locator('span[style*="--shiki-dark"]').first()).toBeAttached();

  const diagrams = mdx.jsx.filter((j) => j.name === 'Diagram');
  expect(diagrams.length, `${lesson.file} has a <Diagram>`).toBeGreaterThan(0);
  const figure = prose.locator('figure.pw-diagram').first();
  await expect(figure.getByRole('img', { name: String(diagrams[0]!.attributes.title) })).toBeVisible();
  await expect(figure.locator('figcaption')).toContainText(String(diagrams[0]!.attributes.title));
  const box = await figure.locator('svg').first().boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(200);

  await hydrated(page);
  expect(errors).toEqual([]);
});

test('diagrams are coloured by the theme, not by the SVG', async ({ page }) => {
  const lesson = firstLesson!;
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(lesson.href);
  await hydrated(page);
  const shape = page.locator('figure.pw-diagram [class*="pw-"]:is(rect, circle, path, line)').first();
  const paint = () => shape.evaluate((el) => `${getComputedStyle(el).fill} / ${getComputedStyle(el).stroke}`);
  const light = await paint();
  expect(light).not.toBe('rgb(0, 0, 0) / none');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await paint()).not.toBe(light);
});

for (const theme of ['light', 'dark'] as const) {
  test(`no serious or critical accessibility violations (${theme} theme)`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.emulateMedia({ colorScheme: theme });
    for (const url of ['/', firstLesson!.href]) {
      await page.goto(url);
      await hydrated(page);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      expect(await seriousA11yViolations(page), `axe on ${url} (${theme})`).toEqual([]);
    }
    expect(errors).toEqual([]);
  });
}

test('every lesson renders without console errors or serious accessibility violations, in both themes', async ({ page }) => {
  test.setTimeout(60_000 + course.lessons.length * 20_000);
  const errors = watchConsole(page);
  const problems: string[] = [];
  for (const lesson of course.lessons) {
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(lesson.href);
      await hydrated(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.frontmatter.title);
      for (const v of await seriousA11yViolations(page)) problems.push(`${lesson.href} (${theme}): ${v.id} — ${v.help} at ${v.nodes.join(', ')}`);
    }
  }
  expect(problems).toEqual([]);
  expect(errors).toEqual([]);
});

test('the theme toggle switches and is remembered across reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  // Set by the head script before first paint, not after hydration.
  await page.waitForLoadState('domcontentloaded');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.goto(firstLesson!.href);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the lab pane resizes with the keyboard and keeps its width', async ({ page }) => {
  await page.goto(firstLesson!.href);
  await hydrated(page);
  const separator = page.getByRole('separator', { name: 'Resize the lab pane' });
  const pane = page.getByTestId('lab-pane');
  const before = Number(await separator.getAttribute('aria-valuenow'));
  const widthBefore = (await pane.boundingBox())!.width;
  await separator.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(separator).toHaveAttribute('aria-valuenow', String(before + 4));
  expect((await pane.boundingBox())!.width).toBeGreaterThan(widthBefore + 30);
  await page.keyboard.press('Home');
  const min = Number(await separator.getAttribute('aria-valuemin'));
  await expect(separator).toHaveAttribute('aria-valuenow', String(min));
  await page.keyboard.press('ArrowLeft');
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('separator', { name: 'Resize the lab pane' })).toHaveAttribute('aria-valuenow', String(min + 2));
});

test('a prediction hides its explanation until the learner commits, then remembers the answer', async ({ page }) => {
  const lesson = course.lessons.find((l) => /<Predict\b/.test(l.body));
  test.skip(!lesson, 'no lesson uses <Predict> yet');
  const mdx = await compile(lesson!);
  const use = mdx.jsx.find((j) => j.name === 'Predict')!;
  const options = use.attributes.options as string[];
  const answer = use.attributes.answer as number;
  await page.goto(lesson!.href);
  await hydrated(page);

  const predict = page.getByTestId('predict').first();
  const lock = predict.getByRole('button', { name: 'Lock in my prediction' });
  await expect(predict.getByTestId('predict-verdict')).toHaveCount(0);
  await expect(lock).toBeDisabled();
  const wrong = options.findIndex((_, i) => i !== answer);
  await predict.getByRole('radio', { name: options[wrong]!, exact: true }).check();
  await lock.click();
  await expect(predict.getByTestId('predict-verdict')).toContainText(`the answer is “${options[answer]}”`);
  await expect(predict).toHaveAttribute('data-state', 'wrong');

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('predict').first()).toHaveAttribute('data-state', 'wrong');
  await page.getByTestId('predict').first().getByRole('button', { name: 'Ask me again' }).click();
  await expect(page.getByTestId('predict').first()).toHaveAttribute('data-state', 'open');
});

test('copy buttons copy the exact command text', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(firstLesson!.href);
  await hydrated(page);
  const block = page.getByTestId('lesson-prose').locator('pre.shiki').first();
  const shown = (await block.innerText()).replace(/\n$/, '');
  expect(shown.length).toBeGreaterThan(0);
  await block.locator('xpath=..').getByRole('button', { name: /^Copy/ }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
});

/** Every script the page loaded, with its source. */
async function loadedScripts(page: Page, url: string): Promise<{ url: string; body: string }[]> {
  const responses: Promise<{ url: string; body: string }>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') responses.push(r.text().then((body) => ({ url: r.url(), body })));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await hydrated(page);
  return Promise.all(responses);
}

// Strings only xterm.js and Monaco contain: their DOM class names.
const HEAVY = [
  { name: 'xterm.js', marker: 'xterm-helper-textarea' },
  { name: 'Monaco', marker: 'monaco-editor-background' },
];

for (const where of ['catalog', 'lesson'] as const) {
  test(`the ${where} page loads no terminal or editor code up front`, async ({ page }) => {
    const scripts = await loadedScripts(page, where === 'catalog' ? '/' : firstLesson!.href);
    expect(scripts.length).toBeGreaterThan(0);
    const offenders = scripts.flatMap((s) => HEAVY.filter((h) => s.body.includes(h.marker)).map((h) => `${h.name} in ${s.url}`));
    expect(offenders).toEqual([]);
  });
}

/** The text in a target's terminal (xterm draws on a canvas; its buffer is exposed on the host element). */
async function terminalText(page: Page, target: string): Promise<string> {
  return page.evaluate((t) => {
    type Buffer = { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined };
    const host = document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as
      (HTMLElement & { pwTerminal?: { buffer: { active: Buffer } } }) | null;
    const buf = host?.pwTerminal?.buffer.active;
    if (!buf) return '';
    return Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true) ?? '')
      .join('\n')
      .trimEnd();
  }, target);
}

/**
 * Starts the lesson's lab and runs the lesson's first command from its <Run> button, so the picture shows what a
 * learner sees mid-lesson. Returns false (and the screenshot shows the start card) when no lab can start here.
 */
async function runFirstCommands(page: Page): Promise<boolean> {
  const start = page.getByRole('button', { name: 'Start lab' });
  const run = page
    .getByTestId('lesson-prose')
    .locator('[data-target]')
    .filter({ has: page.getByRole('button', { name: 'Run' }) })
    .first();
  if ((await run.count()) === 0) return false;
  // The button is disabled while the page looks for an existing lab, and stays so when labs are unavailable.
  const startable = await expect(start)
    .toBeEnabled({ timeout: 20_000 })
    .then(() => true)
    .catch(() => false);
  if (!startable) return false;
  const target = (await run.getAttribute('data-target'))!;
  await start.click();
  try {
    await expect(page.getByTestId(`terminal-${target}`)).toHaveAttribute('data-status', 'live', { timeout: 90_000 });
    await expect.poll(async () => /[#$]\s*$/.test(await terminalText(page, target)), { timeout: 30_000 }).toBe(true);
  } catch {
    return false;
  }
  // The lesson's first two commands on that target, each typed by its Run button.
  const blocks = page
    .getByTestId('lesson-prose')
    .locator(`[data-target="${target}"]`)
    .filter({ has: page.getByRole('button', { name: 'Run' }) });
  const count = Math.min(2, await blocks.count());
  for (let i = 0; i < count; i++) {
    const block = blocks.nth(i);
    await block.scrollIntoViewIfNeeded();
    await block.getByRole('button', { name: 'Run' }).click();
    const command = ((await block.locator('code').textContent()) ?? '').replace(/^\$\s*/, '').trim();
    await expect
      .poll(
        async () => {
          const text = await terminalText(page, target);
          const at = text.lastIndexOf(command.slice(0, 30));
          return at >= 0 && /[#$]\s*$/.test(text.slice(at + command.length));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
  }
  // Frame the prose from the section heading above that command.
  await run.evaluate((el) => {
    const top = (n: Element) => n.getBoundingClientRect().top + window.scrollY;
    const headings = [...document.querySelectorAll('[data-testid="lesson-prose"] h2')].filter((h) => top(h) < top(el));
    window.scrollTo(0, (headings.length ? top(headings.at(-1)!) : top(el)) - 80);
  });
  return true;
}

test('screenshot of a lesson page for the docs', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(firstLesson!.href);
  await hydrated(page);
  const withLab = await runFirstCommands(page);
  test.info().annotations.push({ type: 'screenshot', description: withLab ? 'with a running lab' : 'start card (no lab could start here)' });
  await page.evaluate(() => document.fonts.ready);
  await page.mouse.move(0, 0);
  const dir = path.resolve('docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, 'lesson.png') });

  const catalog = await page.context().newPage();
  await catalog.setViewportSize({ width: 1280, height: 800 });
  await catalog.goto('/');
  await hydrated(catalog);
  await catalog.screenshot({ path: path.join(dir, 'catalog.png') });
  // Leave nothing running: stop the lab this test started with the lesson's own control.
  if (withLab) {
    await page.getByTestId('lab-pane').getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('group', { name: 'Confirm stop' }).getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Start lab' })).toBeVisible({ timeout: 30_000 });
  }
});
