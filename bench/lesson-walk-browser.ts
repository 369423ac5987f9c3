// The lesson page as a learner uses it, through playwright-core: lab pane tabs, the terminals (xterm.js draws on a
// canvas, so the screen is read from the Terminal object the page hangs on its host element), the challenge panel.
// "Idle" means what a learner sees: the shell's prompt (or bash's "> " continuation prompt) at the cursor, and no
// new output for a moment.
import type { Locator, Page } from 'playwright-core';

/** What the page's xterm Terminal offers that the walk uses (xterm.js 6 API). */
interface XtermLike {
  buffer: {
    active: {
      length: number;
      baseY: number;
      cursorY: number;
      cursorX: number;
      getLine(i: number): { isWrapped: boolean; translateToString(trim?: boolean, start?: number, end?: number): string } | undefined;
    };
  };
  registerMarker(offset?: number): { line: number; isDisposed: boolean } | undefined;
  onWriteParsed(cb: () => void): unknown;
}
interface WalkState {
  lastWrite: number;
  since: number;
  marker?: { line: number; isDisposed: boolean };
  taskMarker?: { line: number; isDisposed: boolean };
}
type HostEl = HTMLElement & { pwTerminal?: XtermLike & { pwWalk?: WalkState } };

const QUIET_MS = 300;
/** Output that ends after a prompt (a background job printing once the shell is back) counts as idle after this. */
const QUIET_AFTER_PROMPT_MS = 1500;

export class LessonPage {
  readonly page: Page;
  private focused: string | undefined;

  constructor(page: Page) {
    this.page = page;
  }

  panel(): Locator {
    return this.page.getByTestId('challenge-panel');
  }

  task(id: string): Locator {
    return this.panel().locator(`[data-task-id="${id}"]`);
  }

  async openTab(name: string): Promise<void> {
    await this.page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
    this.focused = undefined;
  }

  async waitLive(target: string, timeout = 30_000): Promise<void> {
    await this.page.locator(`[data-testid="terminal-${target}"][data-status="live"]`).waitFor({ timeout });
  }

  /** Select the target's tab and click into its terminal, like a learner about to type. */
  async focusTerminal(target: string): Promise<void> {
    if (this.focused === target) return;
    await this.openTab(target);
    await this.waitLive(target);
    await this.page.getByTestId(`terminal-${target}`).locator('.xterm').click();
    this.focused = target;
  }

  /** Hooks the walk's bookkeeping onto the target's terminal (again if the terminal was re-created). */
  private async install(target: string): Promise<void> {
    await this.page.waitForFunction((t) => {
      const host = document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as HostEl | null;
      const term = host?.pwTerminal;
      if (!term) return false;
      if (!term.pwWalk) {
        const state: WalkState = { lastWrite: Date.now(), since: 0 };
        term.pwWalk = state;
        term.onWriteParsed(() => (state.lastWrite = Date.now()));
      }
      return true;
    }, target);
  }

  /** Marks "now": idle waits need output after this point; output() reads from the cursor line of this point. */
  async mark(target: string, opts: { task?: boolean } = {}): Promise<void> {
    await this.install(target);
    await this.page.evaluate(
      ([t, task]) => {
        const term = (document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as HostEl).pwTerminal!;
        const state = term.pwWalk!;
        state.since = Date.now();
        state.marker = term.registerMarker(0);
        if (task) state.taskMarker = state.marker;
      },
      [target, opts.task ?? false] as const,
    );
  }

  /** The prompt is at the cursor (ignores how recently output came). */
  async atPrompt(target: string): Promise<boolean> {
    await this.install(target);
    return this.page.evaluate((t) => {
      const term = (document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as HostEl).pwTerminal!;
      const buf = term.buffer.active;
      const line = buf.getLine(buf.baseY + buf.cursorY)?.translateToString(false, 0, buf.cursorX) ?? '';
      return /[\w.-]+@[\w.-]+:\S*[#$] $/.test(line) || line === '> ';
    }, target);
  }

  /** Waits for output after the last mark, then the prompt at the cursor and QUIET_MS of silence — or, when a
   *  background job printed after the prompt came back, a prompt row after the mark and QUIET_AFTER_PROMPT_MS. */
  async waitIdle(target: string, timeout: number): Promise<boolean> {
    try {
      await this.page.waitForFunction(
        ([t, quiet, quietAfterPrompt]) => {
          const term = (document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as HostEl | null)?.pwTerminal;
          const state = term?.pwWalk;
          if (!term || !state || state.lastWrite <= state.since || Date.now() - state.lastWrite < quiet) return false;
          const prompt = /[\w.-]+@[\w.-]+:\S*[#$] /;
          const buf = term.buffer.active;
          const line = buf.getLine(buf.baseY + buf.cursorY)?.translateToString(false, 0, buf.cursorX) ?? '';
          if (/[\w.-]+@[\w.-]+:\S*[#$] $/.test(line) || line === '> ') return true;
          if (Date.now() - state.lastWrite < quietAfterPrompt || !state.marker || state.marker.isDisposed) return false;
          for (let i = state.marker.line + 1; i < buf.length; i++) if (prompt.test(buf.getLine(i)?.translateToString(true) ?? '')) return true;
          return false;
        },
        [target, QUIET_MS, QUIET_AFTER_PROMPT_MS] as const,
        { timeout, polling: 100 },
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Screen lines (wrapped rows joined) after the command row of the last mark (or of the task's first mark), with
   *  prompts cut off the front of later rows (a background job's output can follow a prompt) and empty rows left out. */
  async output(target: string, from: 'line' | 'task' = 'line'): Promise<string[]> {
    await this.install(target);
    return this.page.evaluate(
      ([t, which]) => {
        const term = (document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as HostEl).pwTerminal!;
        const marker = which === 'task' ? term.pwWalk?.taskMarker : term.pwWalk?.marker;
        const buf = term.buffer.active;
        const start = marker && !marker.isDisposed && marker.line >= 0 ? marker.line : 0;
        const rows: string[] = [];
        for (let i = start; i < buf.length; i++) {
          const row = buf.getLine(i);
          if (!row) continue;
          const text = row.translateToString(true);
          if (row.isWrapped && rows.length > 0) rows[rows.length - 1] += text;
          else rows.push(text);
        }
        return rows
          .slice(1)
          .map((r) => r.replace(/^[\w.-]+@[\w.-]+:\S*[#$] /, '').replace(/^> /, ''))
          .filter((r) => r.trim() !== '');
      },
      [target, from] as const,
    );
  }

  /** Clicks a <Run> block's Run button (the page selects the target's tab and types the command); true once idle again. */
  async clickRun(run: Locator, target: string, timeout: number): Promise<boolean> {
    // The terminal of a target whose tab was never shown is not mounted yet: show it first so its output can be followed.
    await this.openTab(target);
    await this.waitLive(target);
    await this.mark(target);
    await run.getByRole('button', { name: 'Run', exact: true }).click();
    this.focused = undefined;
    return this.waitIdle(target, timeout);
  }

  /** Ctrl-C into the target's terminal and wait for the prompt (a learner stopping a command that did not return). */
  async interrupt(target: string): Promise<void> {
    await this.focusTerminal(target);
    await this.mark(target);
    await this.page.keyboard.press('Control+C');
    await this.waitIdle(target, 5_000);
  }

  /** Types one line and Enter into the target's terminal; true once the shell is idle again, false after timeout. */
  async typeLine(target: string, line: string, timeout: number, opts: { taskStart?: boolean } = {}): Promise<boolean> {
    await this.focusTerminal(target);
    if (!(await this.atPrompt(target))) await this.interrupt(target);
    // Marked before typing, so output() starts at the prompt row of this command (prompt rows are left out).
    await this.mark(target, { task: opts.taskStart });
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
    return this.waitIdle(target, timeout);
  }
}
