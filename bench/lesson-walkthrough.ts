// npm run bench:lessons [-- --lesson <id>[,<id>…] --base-url <url> --no-build --no-write --allowance 1.5 --write-minutes]
// Every by-hand lesson (sandbox nodes-*) walked through in a real browser, the way a learner does it, to make the
// lessons' estimated minutes honest without a human at the machine:
// - open the lesson page, start the lab;
// - in page order, answer each "predict, then observe" (pick an option, lock it in) and click every <Run> block's
//   Run button, waiting for the command to finish (Ctrl-C first when the previous one on that target never returned);
// - for each challenge task in order, type its written solution (the ```bash block the learner sees when they reveal
//   it) into the task's target tab, reading found answers off the terminal screen (bench/lesson-walk-answers.ts) or,
//   where that is not possible, typing the solution script instead (said in the output), and wait until the task
//   turns green in the challenge panel by itself — never a Check click;
// - count the words of the rendered article (predictions revealed) and the characters typed.
// Modelled learner time = measured wall time + words / 200 wpm + typed characters / 2.5 per s + 60 s per task.
// The server is playwright.config.ts's webServer (npm run build + node server.ts, throwaway DATA_DIR) on a free port,
// unless --base-url names a running one. Prints a table; a run over every by-hand lesson rewrites the "Lessons" section
// of BENCHMARKS.md; --write-minutes sets each walked lesson's `minutes:` to the modelled time × allowance, rounded up
// to 5 minutes (a lesson whose walk failed is left alone and reported).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadChallengeOrThrow } from '../course/challenge/challenge-loader.ts';
import type { Task } from '../course/challenge/challenge-schema.ts';
import { loadSandboxFile, SANDBOX_FILE } from '../course/sandbox/load-sandbox.ts';
import { sandboxTargets } from '../course/sandbox/sandbox-targets.ts';
import { loadContent, type LessonEntry } from '../course/content/load-content.ts';
import { ANSWERS, type AnswerIO } from './lesson-walk-answers.ts';
import { LessonPage } from './lesson-walk-browser.ts';
import { PLACEHOLDER, scriptLines, writtenLines, type SolutionLine } from './lesson-walk-solutions.ts';

const { values } = parseArgs({
  options: {
    lesson: { type: 'string' },
    'base-url': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'write-minutes': { type: 'boolean', default: false },
    allowance: { type: 'string', default: '1.5' },
  },
});

/** The learner model. */
const WORDS_PER_MINUTE = 200;
const CHARS_PER_SECOND = 2.5;
const SECONDS_PER_TASK = 60;
const ALLOWANCE = Number(values.allowance);
if (!(ALLOWANCE >= 1)) throw new Error(`--allowance must be a number ≥ 1 (got ${values.allowance})`);

const LINE_TIMEOUT = 30_000;
const RUN_TIMEOUT = 20_000;
const GREEN_TIMEOUT = 120_000;
const BENCH_FILE = path.resolve('BENCHMARKS.md');
const START = '<!-- bench:lessons:start -->';
const END = '<!-- bench:lessons:end -->';
const say = (line: string) => process.stdout.write(`${line}\n`);

// ── which lessons ────────────────────────────────────────────────────────────────────────────────────────────
const { index } = loadContent(path.resolve(process.env.CONTENT_DIR ?? 'content'));
const byHand = index.lessons.filter((l) => l.frontmatter.sandbox.startsWith('nodes-'));
const wanted = values.lesson?.split(',').map((s) => s.trim().replace(/^\/?learn\//, ''));
const lessons = wanted
  ? wanted.map((id) => byHand.find((l) => l.id === id) ?? fail(`no by-hand lesson "${id}" — valid: ${byHand.map((l) => l.id).join(', ')}`))
  : byHand;
const fullRun = lessons.length === byHand.length;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

// ── the server: playwright.config.ts's webServer, on a free port with a throwaway DATA_DIR ─────────────────
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-lessons-'));
process.env.E2E_DATA_DIR = dataDir;
process.env.E2E_PORT = String(values['base-url'] ? 0 : await freePort());
const { default: pwConfig } = await import('../playwright.config.ts');
const webServer = Array.isArray(pwConfig.webServer) ? pwConfig.webServer[0]! : pwConfig.webServer!;
const launch = pwConfig.use?.launchOptions ?? {};
const viewport = pwConfig.use?.viewport ?? { width: 1280, height: 800 };

let server: ChildProcess | undefined;
const serverLog = path.join(dataDir, 'server.log');

async function startServer(): Promise<string> {
  const url = webServer.url!;
  const command = values['no-build'] ? webServer.command.replace(/^npm run build && /, '') : webServer.command;
  say(`server: ${command} (PORT ${process.env.E2E_PORT}, DATA_DIR ${dataDir}, log ${serverLog})`);
  const log = fs.openSync(serverLog, 'a');
  server = spawn('sh', ['-c', command], { env: { ...process.env, ...webServer.env }, stdio: ['ignore', log, log], detached: true });
  const deadline = Date.now() + (webServer.timeout ?? 300_000);
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}) before answering; last lines of ${serverLog}:\n${tail(serverLog)}`);
    try {
      if ((await fetch(url)).ok) return url.replace(/\/$/, '');
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the server did not answer ${url} within ${(webServer.timeout ?? 300_000) / 1000} s; see ${serverLog}`);
}

function tail(file: string, n = 20): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n') : '';
}

async function stopServer(): Promise<void> {
  if (!server?.pid || server.exitCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  process.kill(-server.pid, 'SIGTERM'); // the process group we started: sh, npm, node server.ts
  const timer = setTimeout(() => server?.pid && server.exitCode === null && process.kill(-server.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

// ── one lesson ───────────────────────────────────────────────────────────────────────────────────────────────
interface TaskResult {
  id: string;
  seconds: number;
  /** "written", "written, answer read off the screen", "solution script" or a handler's own description. */
  how: string;
  notes: string[];
  passed: boolean;
  chars: number;
}

interface LessonResult {
  lesson: LessonEntry;
  wallS: number;
  labReadyS: number;
  words: number;
  runs: number;
  predicts: number;
  runChars: number;
  tasks: TaskResult[];
  checkClicks: number;
  notes: string[];
  error?: string;
}

const modelledS = (r: LessonResult) => r.wallS + (r.words / WORDS_PER_MINUTE) * 60 + typedChars(r) / CHARS_PER_SECOND + SECONDS_PER_TASK * r.tasks.length;
const typedChars = (r: LessonResult) => r.runChars + r.tasks.reduce((n, t) => n + t.chars, 0);
const walkOk = (r: LessonResult) => !r.error && r.tasks.every((t) => t.passed) && r.checkClicks === 0;
const newMinutes = (r: LessonResult) => Math.ceil(((modelledS(r) / 60) * ALLOWANCE) / 5) * 5;

async function taskStatus(lp: LessonPage, id: string): Promise<string | null> {
  return lp.task(id).getAttribute('data-status');
}

async function waitGreen(lp: LessonPage, id: string, timeout: number): Promise<boolean> {
  try {
    await lp.task(id).and(lp.page.locator('[data-status="passed"]')).waitFor({ state: 'attached', timeout });
    return true;
  } catch {
    return false;
  }
}

/** Words a learner reads: the article's rendered text (header, objectives, prose, revealed predictions), without the
 *  table of contents, the previous/next links and button labels. */
async function articleWords(page: Page): Promise<number> {
  return page
    .locator('article')
    .first()
    .evaluate((article) => {
      const count = (text: string) => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
      let n = count((article as HTMLElement).innerText);
      for (const el of article.querySelectorAll('nav, button')) n -= count((el as HTMLElement).innerText);
      return n;
    });
}

async function walkLesson(browser: Browser, baseUrl: string, lesson: LessonEntry): Promise<LessonResult> {
  const sandbox = loadSandboxFile(path.resolve(process.env.SANDBOXES_DIR ?? 'sandboxes', lesson.frontmatter.sandbox, SANDBOX_FILE));
  const targets = sandboxTargets(sandbox).map((t) => t.name);
  const tasks = lesson.challengeFile ? (await loadChallengeOrThrow(lesson.challengeFile)).tasks : [];
  const result: LessonResult = { lesson, wallS: 0, labReadyS: 0, words: 0, runs: 0, predicts: 0, runChars: 0, tasks: [], checkClicks: 0, notes: [] };
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  const page = await context.newPage();
  const lp = new LessonPage(page);
  page.on('request', (r) => {
    if (r.url().includes('/api/challenge/check')) result.checkClicks++;
  });
  const t0 = Date.now();
  try {
    await page.goto(lesson.href);
    await page.getByTestId('lab-status').filter({ hasText: 'Not started' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Start lab' }).click();
    await lp.waitLive(targets[0]!, 120_000);
    result.labReadyS = (Date.now() - t0) / 1000;
    if (tasks.length > 0)
      await lp
        .panel()
        .getByTestId('challenge-last-check')
        .filter({ hasText: /checked \d+ s ago/ })
        .waitFor({ state: 'attached', timeout: 60_000 });

    // Exploration, in page order: predictions and <Run> blocks (a prediction's own command appears once it is locked in).
    const busy = new Set<string>();
    for (let n = 0; n < 300; n++) {
      // Tag the next step with an id of its own: the selector below stops matching it once it is walked.
      const step = await page.evaluate((id) => {
        const el = document.querySelector('article [data-testid="predict"][data-state="open"], article span[data-target]:not([data-walked])');
        if (!el) return null;
        el.setAttribute('data-walk-id', String(id));
        if (el.getAttribute('data-testid') === 'predict') return { kind: 'predict' as const };
        el.setAttribute('data-walked', '');
        const command = (el.querySelector('code')?.textContent ?? '').replace(/^\$\s*/, '');
        return { kind: 'run' as const, target: el.getAttribute('data-target')!, command, interrupts: (el.textContent ?? '').includes('Ctrl-C first') };
      }, n);
      if (!step) break;
      const el = page.locator(`[data-walk-id="${n}"]`);
      if (step.kind === 'predict') {
        await el.locator('label').first().click();
        await el.getByRole('button', { name: 'Lock in my prediction' }).click();
        await el.getByTestId('predict-verdict').waitFor();
        result.predicts++;
        continue;
      }
      const { target, command } = step;
      if (busy.has(target) && !step.interrupts) {
        await lp.interrupt(target);
        result.notes.push(`Ctrl-C before "${command.slice(0, 40)}" (the previous command on ${target} had not returned)`);
      }
      const returned = await lp.clickRun(el, target, RUN_TIMEOUT);
      if (returned) busy.delete(target);
      else {
        busy.add(target);
        result.notes.push(`Run "${command.slice(0, 40)}" on ${target} had not returned after ${RUN_TIMEOUT / 1000} s`);
      }
      result.runs++;
      result.runChars += command.length + 1;
    }

    // The challenge, task by task.
    if (tasks.length > 0) await lp.openTab('Challenge');
    for (const task of tasks) result.tasks.push(await walkTask(lp, lesson, task, targets));
    result.wallS = (Date.now() - t0) / 1000;
    result.words = await articleWords(page);
    if (tasks.length > 0 && !(await lp.panel().getByTestId('challenge-complete').isVisible()))
      result.notes.push('the panel does not say the challenge is complete');
  } catch (err) {
    result.wallS = (Date.now() - t0) / 1000;
    result.error = (err as Error).message.split('\n').slice(0, 8).join('\n');
    const shot = path.join(dataDir, `${lesson.slug}.png`);
    await page.screenshot({ path: shot, fullPage: false }).catch(() => undefined);
    result.notes.push(`screenshot: ${shot}`);
  } finally {
    // Stop the learner's lab (the page's own API), so the next lesson starts from a clean host.
    await page
      .evaluate(async (sb) => {
        const found = (await (await fetch(`/api/labs?sandbox=${sb}`)).json()) as { lab: { id: string } | null };
        if (found.lab) await fetch(`/api/labs/${found.lab.id}`, { method: 'DELETE' });
      }, lesson.frontmatter.sandbox)
      .catch(() => result.notes.push('could not stop the lab'));
    await context.close();
  }
  return result;
}

async function walkTask(lp: LessonPage, lesson: LessonEntry, task: Task, targets: string[]): Promise<TaskResult> {
  const started = Date.now();
  const r: TaskResult = { id: task.id, seconds: 0, how: 'written', notes: [], passed: false, chars: 0 };
  if ((await taskStatus(lp, task.id)) === 'passed') r.notes.push('already green before its commands were typed (exploration did it)');
  const marked = new Set<string>();
  const io: AnswerIO = {
    type: async (line: SolutionLine | string, target?: string) => {
      const l = typeof line === 'string' ? { text: line, target: target ?? task.target, background: false } : line;
      const text = l.background ? `${l.text} &` : l.text;
      r.chars += text.length + 1;
      const returned = await lp.typeLine(l.target, text, LINE_TIMEOUT, { taskStart: !marked.has(l.target) });
      marked.add(l.target);
      if (!returned) r.notes.push(`"${text.slice(0, 50)}" had not returned after ${LINE_TIMEOUT / 1000} s`);
      return lp.output(l.target);
    },
    find: async (re, what, target = task.target, timeout = 15_000) => {
      const deadline = Date.now() + timeout;
      for (;;) {
        let hit: RegExpExecArray | null = null;
        for (const row of await lp.output(target, 'task')) hit = re.exec(row) ?? hit;
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`${task.id}: could not read ${what} off ${target}'s screen within ${timeout / 1000} s`);
        await new Promise((res) => setTimeout(res, 250));
      }
    },
    note: (text) => r.notes.push(text),
    how: (text) => (r.how = text),
  };
  const typeScript = async (reason: string) => {
    r.how = 'solution script';
    r.notes.push(reason);
    for (const line of scriptLines(task)) await io.type(line, task.solution.target ?? task.target);
  };

  const written = writtenLines(task, targets);
  const handler = ANSWERS[`${lesson.id}#${task.id}`];
  const writesAnswer = /~\/answers\//.test(task.description) && !(written ?? []).some((l) => l.text.includes('answers/'));
  const needsAnswer = !written || written.some((l) => PLACEHOLDER.test(l.text)) || writesAnswer;
  if (needsAnswer && handler) {
    r.how = 'written, answer read off the screen';
    await handler(io, written, task);
  } else if (!written) await typeScript('script typed: the written solution has no bash block');
  else if (needsAnswer) await typeScript('script typed: the written solution needs an answer the walk cannot read off the screen');
  else for (const line of written) await io.type(line);
  if (written?.some((l) => l.background)) r.notes.push('the "terminal 1" command ran in the background (one shell per node)');

  await lp.openTab('Challenge');
  r.passed = await waitGreen(lp, task.id, GREEN_TIMEOUT);
  if (!r.passed) {
    const verdict = await lp
      .task(task.id)
      .getByTestId('task-verdict')
      .innerText()
      .catch(() => '(no verdict shown)');
    r.notes.push(`NOT GREEN after ${GREEN_TIMEOUT / 1000} s (status ${await taskStatus(lp, task.id)}): ${verdict.replace(/\s+/g, ' ').slice(0, 200)}`);
    // Go on with the solution script so that later tasks that need this one can still be walked; the lesson stays failed.
    if (r.how !== 'solution script') {
      for (const line of scriptLines(task)) await lp.typeLine(task.solution.target ?? task.target, line, LINE_TIMEOUT);
      await lp.openTab('Challenge');
      r.notes.push(
        (await waitGreen(lp, task.id, 60_000)) ? 'green after its solution script (typed to go on, not counted)' : 'still not green after its solution script',
      );
    }
  }
  r.seconds = (Date.now() - started) / 1000;
  return r;
}

// ── report ───────────────────────────────────────────────────────────────────────────────────────────────────
const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const min = (s: number) => `${(s / 60).toFixed(1)} min`;

function table(results: LessonResult[]): string {
  const rows = [
    '| Lesson | Minutes (frontmatter) | Measured walk | Lab ready | Tasks | Words | Typed chars | Modelled learner time | Ratio modelled/minutes | With allowance → minutes |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const ok = walkOk(r);
    rows.push(
      `| ${r.lesson.id} | ${r.lesson.frontmatter.minutes} | ${mmss(r.wallS)}${ok ? '' : ' **(walk failed)**'} | ${r.labReadyS.toFixed(1)} s | ${r.tasks.filter((t) => t.passed).length}/${r.tasks.length} | ${r.words} | ${typedChars(r)} | ${min(modelledS(r))} | ${(modelledS(r) / 60 / r.lesson.frontmatter.minutes).toFixed(2)} | ${ok ? newMinutes(r) : '—'} |`,
    );
  }
  return rows.join('\n');
}

function details(results: LessonResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const parts = r.tasks.map((t) => `${t.id} ${t.seconds.toFixed(1)} s${t.how === 'written' ? '' : ` (${t.how})`}${t.passed ? '' : ' NOT GREEN'}`);
    lines.push(`- **${r.lesson.id}**: ${r.predicts} predictions, ${r.runs} Run blocks (${r.runChars} chars); tasks: ${parts.join('; ') || 'none walked'}.`);
    const notes = [...r.notes, ...r.tasks.flatMap((t) => t.notes.map((n) => `${t.id}: ${n}`))];
    if (r.error) notes.unshift(`ERROR: ${r.error.replace(/\s+/g, ' ')}`);
    if (r.checkClicks) notes.unshift(`${r.checkClicks} Check requests were made`);
    for (const n of notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n');
}

function scripted(results: LessonResult[]): string {
  const ids = results.flatMap((r) => r.tasks.filter((t) => t.how === 'solution script').map((t) => `${r.lesson.slug}/${t.id}`));
  return ids.length ? `needed for ${ids.join(', ')}` : 'no task needed that in this run';
}

function machine(browserVersion: string): string {
  const osName = /PRETTY_NAME="([^"]+)"/.exec(fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '')?.[1] ?? os.type();
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${osName}, Node ${process.version}, Chromium ${browserVersion} (headless)`;
}

function writeSection(body: string): void {
  const section = `${START}\n## Lessons (\`npm run bench:lessons\`)\n\n${body.trim()}\n${END}`;
  const current = fs.existsSync(BENCH_FILE) ? fs.readFileSync(BENCH_FILE, 'utf8') : '# Benchmarks\n';
  const i = current.indexOf(START);
  const j = current.indexOf(END);
  const next = i >= 0 && j > i ? current.slice(0, i) + section + current.slice(j + END.length) : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(BENCH_FILE, next);
}

/** Rewrites only the `minutes:` line of the lesson's frontmatter. */
function writeMinutes(lesson: LessonEntry, minutes: number): void {
  const text = fs.readFileSync(lesson.file, 'utf8');
  const next = text.replace(/^(---\n[\s\S]*?^)minutes: *\d+ *$/m, `$1minutes: ${minutes}`);
  if (next === text && lesson.frontmatter.minutes !== minutes) throw new Error(`${lesson.file}: no "minutes:" line in the frontmatter`);
  fs.writeFileSync(lesson.file, next);
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────────────────
let browser: Browser | undefined;
const interrupted = () => {
  void stopServer().finally(() => process.exit(130));
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
let exitCode = 0;
try {
  const baseUrl = values['base-url']?.replace(/\/$/, '') ?? (await startServer());
  browser = await chromium.launch({ executablePath: launch.executablePath, args: launch.args, headless: true });
  const results: LessonResult[] = [];
  for (const lesson of lessons) {
    say(`walking ${lesson.id} (${lesson.frontmatter.sandbox}, ${lesson.frontmatter.minutes} min in the frontmatter)`);
    const r = await walkLesson(browser, baseUrl, lesson);
    results.push(r);
    say(
      `  ${walkOk(r) ? 'done' : 'FAILED'} in ${mmss(r.wallS)}: lab ready ${r.labReadyS.toFixed(1)} s, ${r.tasks.filter((t) => t.passed).length}/${r.tasks.length} tasks green, ${r.words} words, ${typedChars(r)} chars typed → modelled ${min(modelledS(r))}`,
    );
    say(details([r]));
  }
  const load = os.loadavg()[0]!.toFixed(1);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine(browser.version())}; load average ${load} at the end (a shared machine).`;
  say(`\n${table(results)}\n\n${stamp}`);
  if (results.some((r) => !walkOk(r))) exitCode = 1;

  if (values['write-minutes']) {
    for (const r of results) {
      if (!walkOk(r)) say(`minutes of ${r.lesson.id} left at ${r.lesson.frontmatter.minutes}: its walk failed`);
      else if (newMinutes(r) !== r.lesson.frontmatter.minutes) {
        writeMinutes(r.lesson, newMinutes(r));
        say(`${r.lesson.id}: minutes ${r.lesson.frontmatter.minutes} → ${newMinutes(r)}`);
      }
    }
  }

  if (!fullRun || values['no-write'])
    say(`\nBENCHMARKS.md left alone (${values['no-write'] ? '--no-write' : 'only a run over every by-hand lesson rewrites it'}).`);
  else {
    writeSection(`${stamp}
Command: \`npm run bench:lessons${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (${lessons.length} by-hand lessons, one at a time, each with a new browser context and a fresh lab; allowance ${ALLOWANCE}).

${table(results)}
${values['write-minutes'] ? '\nThe minutes column is what the frontmatter said when the walk ran; `--write-minutes` then set each lesson to the last column.\n' : ''}
What this is. Nobody sat at this machine, so each lesson was done by a script in a real browser (Chromium through
playwright-core against \`npm run build\` + \`node server.ts\`): start the lab from the lesson page; in page order lock in
an answer to every prediction and click every \`<Run>\` block's Run button, waiting for the command to finish; then type
each challenge task's written solution (the \`bash\` block a learner reads when they reveal it) into the task's
terminal tab, reading found answers (addresses, ports, chain names, MACs) off the terminal screen and typing them back,
and wait for the task to turn green in the challenge panel by itself (no Check click). **Measured walk** is the wall time
from opening the page to the last task turning green: lab start, every command's run time and the grader's delay, but
no human reading, thinking or typing (**Lab ready**: from opening the page to the first terminal being live).

**Modelled learner time** adds those on top: measured walk + words of the rendered article (header, objectives,
prose, tables and diagrams' text, code, revealed predictions; not the table of contents or buttons) at ${WORDS_PER_MINUTE}
words per minute + characters typed (the Run blocks' commands as if typed, each task's commands and answers; each Enter
counts one) at ${CHARS_PER_SECOND} per second + ${SECONDS_PER_TASK} s per task to read it and decide what to do. It is a
model of a learner who makes no mistakes: it never mistypes, never reads a hint, never goes down a wrong path on a
find-the-fault task. Counting the Run blocks as typed overstates a learner who clicks Run, and the 60 s per task
understates a find-the-answer task done without the solution; the two partly cancel.

**Allowance ×${ALLOWANCE} for getting stuck.** The frontmatter \`minutes:\` of each lesson is the modelled time × ${ALLOWANCE},
rounded up to 5 minutes. ${ALLOWANCE} because the model is an error-free run: a learner new to the material re-reads,
mistypes a command in a long pipeline, and on about one task in three (the break-fix and find-the-answer ones) tries
something that does not work before the hint; half the error-free time again covers that without pretending to
precision the model does not have. A lesson whose walk failed keeps its old value and is marked above.

Per lesson (task times are from the first keystroke to green; "answer read off the screen" = the written solution had a
placeholder or stopped at showing the answer, and the walk read it from the terminal and typed it back, as a learner
would; "solution script" would mean the task's hidden solution script was typed instead, because the written solution
has no commands to type or an answer the walk cannot read — ${scripted(results)}):

${details(results)}`);
    say(`\nupdated the Lessons section of ${BENCH_FILE}`);
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await stopServer();
  if (exitCode === 0) fs.rmSync(dataDir, { recursive: true, force: true });
  else say(`kept ${dataDir} (server log, screenshots)`);
}
process.exit(exitCode);
