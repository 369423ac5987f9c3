// The Editor tab in a real Chromium against a real server and a real nodes-2 lab: a lesson's <Edit> action opens a
// lab file, the learner edits and saves it, and `cat` in the browser terminal shows the change; Monaco, its workers
// and monaco-yaml load only when the tab opens and never from another origin (every request is logged, anything
// not on this server is blocked and fails the test); unsaved text survives a reload; a change made in the lab meanwhile
// is caught on save; Apply on a lab without Kubernetes says so.
//
// The course's own lessons carry no <Edit> yet, so this spec builds the site against a one-lesson fixture course
// (tests/fixtures/editor-content) into its own dist directory and runs it on its own port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { DockerRuntime } from '../../lab-runner/docker/docker-runtime.ts';
import { Labels } from '../../lab-runner/labels.ts';
import { teardownByLabel } from '../../lab-runner/lab/teardown-by-label.ts';

const PORT = Number(process.env.E2E_EDITOR_PORT ?? 3101);
const BASE = `http://127.0.0.1:${PORT}`;
const LESSON = `${BASE}/learn/editor/edit-lab-files`;
const DIST_DIR = '.next-e2e-editor';
const CONTENT_DIR = path.resolve('tests/fixtures/editor-content');

let server: ChildProcess | undefined;
let serverLog = '';
let dataDir: string;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

function buildFixtureSite(): void {
  if (process.env.E2E_EDITOR_REUSE_BUILD && fs.existsSync(path.join(DIST_DIR, 'BUILD_ID'))) return;
  // `next build` with another distDir rewrites tsconfig.json's include list; put the file back as it was.
  const tsconfig = fs.readFileSync('tsconfig.json', 'utf8');
  try {
    const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
    const build = spawnSync(process.execPath, [nextBin, 'build'], {
      env: { ...process.env, CONTENT_DIR, NEXT_DIST_DIR: DIST_DIR, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`next build of the editor fixture course failed:\n${build.stdout}\n${build.stderr}`);
  } finally {
    if (fs.readFileSync('tsconfig.json', 'utf8') !== tsconfig) fs.writeFileSync('tsconfig.json', tsconfig);
  }
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) throw new Error(`the server exited (${server.exitCode}):\n${serverLog}`);
    const ok = await fetch(`${BASE}/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer on ${BASE} within 60 s:\n${serverLog}`);
}

test.beforeAll(async () => {
  test.setTimeout(600_000);
  buildFixtureSite();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'packetwalk-e2e-editor-'));
  server = spawn(process.execPath, ['server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(PORT),
      DATA_DIR: dataDir,
      CONTENT_DIR,
      NEXT_DIST_DIR: DIST_DIR,
      WARM_POOL: 'nodes-2=0',
      BUILD_IMAGES_ON_START: process.env.BUILD_IMAGES_ON_START ?? 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (b: Buffer) => (serverLog += b.toString()));
  server.stderr!.on('data', (b: Buffer) => (serverLog += b.toString()));
  await waitForServer();
});

test.afterAll(async () => {
  const storeId = /store=([0-9a-f]+)/.exec(serverLog)?.[1];
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  // Labs belong to the store, not to the process: remove whatever this run's store still owns.
  if (storeId) await teardownByLabel(new DockerRuntime(), { [Labels.storeId]: storeId });
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.E2E_EDITOR_REUSE_BUILD) fs.rmSync(DIST_DIR, { recursive: true, force: true });
});

test.afterEach(async ({ page }) => {
  const res = await page.request.get(`${BASE}/api/labs`);
  const labs = res.ok() ? ((await res.json()) as { labs: { id: string }[] }).labs : [];
  for (const lab of labs) await page.request.delete(`${BASE}/api/labs/${lab.id}`);
});

/** Blocks and records every request that is not to this server (the classroom without internet). */
async function offline(context: BrowserContext): Promise<{ external: string[]; all: string[] }> {
  const log = { external: [] as string[], all: [] as string[] };
  const local = (url: string) => url.startsWith(`${BASE}/`) || url.startsWith('data:') || url.startsWith('blob:');
  context.on('request', (r) => {
    log.all.push(r.url());
    if (!local(r.url())) log.external.push(r.url());
  });
  await context.route(
    (url) => !local(url.href),
    (route) => route.abort('internetdisconnected'),
  );
  return log;
}

const editor = (page: Page) => page.getByTestId('editor');
const docTab = (page: Page, name: string) => page.getByTestId('editor-doc-tab').filter({ hasText: name });
const notice = (page: Page) => editor(page).getByTestId('editor-notice');

/** Monaco's visible text (it renders spaces as non-breaking ones). */
async function editorText(page: Page): Promise<string> {
  return (await editor(page).locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');
}

async function typeInEditor(page: Page, text: string, opts: { replaceAll?: boolean } = {}): Promise<void> {
  await editor(page).locator('.monaco-editor .view-lines').click();
  if (opts.replaceAll) await page.keyboard.press('ControlOrMeta+A');
  else await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(text);
}

/** Types a command into a target's terminal. */
async function runInTerminal(page: Page, target: string, command: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${target}`) }).click();
  const term = page.getByTestId(`terminal-${target}`);
  await expect(term).toHaveAttribute('data-status', 'live', { timeout: 30_000 });
  await term.locator('.xterm').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** What a target's terminal shows: selected with the mouse and copied with Ctrl+Shift+C, as a learner would. */
async function terminalText(page: Page, target: string): Promise<string> {
  const screen = page.getByTestId(`terminal-${target}`).locator('.xterm-screen');
  const box = (await screen.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 2, box.y + box.height - 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.press('Control+Shift+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

async function startLab(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start lab' }).click();
  await expect(page.getByRole('tab', { name: /^node1/ })).toBeVisible({ timeout: 90_000 });
}

test("a lesson's <Edit> opens a lab file; the saved text shows with cat in the terminal; nothing leaves this server", async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const requests = await offline(context);
  await page.goto(LESSON);
  await startLab(page);

  // Lazy: the terminals are up, yet no Monaco and no editor worker has been fetched.
  await expect(page.locator('.monaco-editor')).toHaveCount(0);
  const workersBefore = requests.all.filter((u) => u.includes('worker')).length;
  expect(workersBefore).toBe(0);

  await page.getByRole('button', { name: /your notes/ }).click();
  await expect(docTab(page, 'notes.txt')).toBeVisible({ timeout: 60_000 });
  await expect(notice(page)).toContainText('New file: /root/notes.txt does not exist on node1 yet');
  const marker = `edited in the browser ${Date.now()}`;
  // Ends with a newline, as a text file should: the shell's next prompt would otherwise overwrite the last line.
  await typeInEditor(page, `${marker}\nquotes "double" 'single', $HOME and \`backticks\` stay literal\n`);
  await expect(page.getByTestId('editor-state')).toHaveText('Unsaved changes');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('editor-state')).toHaveText('Saved');
  await expect(notice(page)).toContainText('Saved to node1:/root/notes.txt');

  // The lesson's own <Run> types `cat` into node1's terminal.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => terminalText(page, 'node1'), { timeout: 15_000 }).toContain(marker);
  expect(await terminalText(page, 'node1')).toContain(`quotes "double" 'single', $HOME and \`backticks\` stay literal`);

  // The editor's workers were fetched once it opened, all from this server.
  expect(requests.all.filter((u) => u.includes('worker')).length).toBeGreaterThan(0);
  expect(requests.external).toEqual([]);
});

test('YAML is checked as it is typed with the network off, and Apply on a lab without Kubernetes says so', async ({ page, context }) => {
  const requests = await offline(context);
  await page.goto(LESSON);
  await startLab(page);
  await page.getByRole('tab', { name: 'Editor' }).click();
  await expect(docTab(page, 'Scratchpad')).toBeVisible({ timeout: 60_000 });

  // The YAML worker (monaco-yaml) marks a syntax error while typing.
  // (A duplicate key: brackets and quotes would be closed by the editor as they are typed.)
  await typeInEditor(page, 'apiVersion: v1\nkind: Pod\nkind: Service\n', { replaceAll: true });
  await expect(editor(page).locator('.squiggly-error').first()).toBeVisible({ timeout: 20_000 });
  await expect(editor(page)).toContainText('No Kubernetes cluster in this lab (nodes-2): YAML syntax only');

  // A lesson <Manifest> opens as its own document, and Apply explains that this lab has no cluster.
  await page.getByTestId('lesson-manifest').getByRole('button', { name: 'Open in editor' }).click();
  await expect(docTab(page, 'web pod')).toBeVisible();
  expect(await editorText(page)).toContain('kind: Pod');
  await page.getByTestId('manifest-apply').click();
  await expect(page.getByTestId('manifest-output')).toContainText('has no Kubernetes cluster');
  await expect(page.getByTestId('manifest-output')).toContainText('Not applied');
  expect(requests.external).toEqual([]);
});

test('unsaved text survives a reload, and a change made in the lab meanwhile is caught on save', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  const requests = await offline(context);
  await page.goto(LESSON);
  await startLab(page);
  await runInTerminal(page, 'node1', "printf 'from the terminal\\n' > /root/notes.txt");

  await page.getByRole('button', { name: /your notes/ }).click();
  await expect(docTab(page, 'notes.txt')).toBeVisible({ timeout: 60_000 });
  expect(await editorText(page)).toContain('from the terminal');
  await typeInEditor(page, 'not saved yet');
  await expect(page.getByTestId('editor-state')).toHaveText('Unsaved changes');

  // A reload keeps the unsaved text (localStorage) and reopens the file.
  await page.waitForTimeout(400); // the draft is written a quarter-second after the last keystroke
  await page.reload();
  await page.getByRole('tab', { name: 'Editor' }).click();
  await expect(docTab(page, 'notes.txt')).toBeVisible({ timeout: 60_000 });
  await docTab(page, 'notes.txt').click();
  await expect(notice(page)).toContainText('Restored your unsaved text from this browser');
  expect(await editorText(page)).toContain('not saved yet');

  // Meanwhile the terminal changes the file: saving is refused with both choices offered, nothing is overwritten.
  await runInTerminal(page, 'node1', "printf 'changed in the terminal\\n' > /root/notes.txt");
  await page.getByRole('tab', { name: 'Editor' }).click();
  await page.getByTestId('editor-save').click();
  await expect(notice(page)).toContainText('changed on node1 since you opened it');
  await runInTerminal(page, 'node1', 'clear; cat /root/notes.txt');
  await expect.poll(() => terminalText(page, 'node1'), { timeout: 10_000 }).toContain('changed in the terminal');

  await page.getByRole('tab', { name: 'Editor' }).click();
  await notice(page).getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page.getByTestId('editor-state')).toHaveText('Saved');
  await runInTerminal(page, 'node1', 'clear; cat /root/notes.txt');
  await expect.poll(() => terminalText(page, 'node1'), { timeout: 10_000 }).toContain('not saved yet');
  expect(requests.external).toEqual([]);
});

test('an <Edit> and an Apply asked before any lab exist start the lab and run, in order, once it is ready', async ({ page, context }) => {
  const requests = await offline(context);
  // The lab's start request is held until the editor has shown that both wait (a fast start would otherwise win).
  let releaseStart = () => {};
  const startHeld = new Promise<void>((resolve) => (releaseStart = resolve));
  await page.route(`${BASE}/api/labs`, async (route) => {
    if (route.request().method() === 'POST') await startHeld;
    await route.fallback();
  });
  await page.goto(LESSON);
  await expect(page.getByTestId('lab-placeholder')).toBeVisible();

  // No lab yet: <Edit> starts one and the editor keeps the file for it; the Apply waits for the same lab.
  await page.getByRole('button', { name: /your notes/ }).click();
  await expect(editor(page)).toContainText('node1:/root/notes.txt opens as soon as your lab is ready', { timeout: 60_000 });
  await page.getByTestId('lesson-manifest').getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('manifest-output')).toContainText('this runs once it is ready');
  releaseStart();

  // Once the lab is ready the file opens (a new file, as the lesson names it) and the Apply runs against the lab.
  await expect(page.getByRole('tab', { name: /^node1/ })).toBeVisible({ timeout: 90_000 });
  await expect(docTab(page, 'notes.txt')).toBeVisible({ timeout: 30_000 });
  await expect(docTab(page, 'web pod')).toBeVisible();
  await expect(page.getByTestId('manifest-output')).toContainText('has no Kubernetes cluster', { timeout: 30_000 });
  await expect(page.getByTestId('manifest-output')).toContainText('Not applied');
  expect(requests.external).toEqual([]);
});
