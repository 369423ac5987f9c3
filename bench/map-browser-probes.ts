// What bench/map-browser.ts measures inside the page (installed before the page's own scripts, by addInitScript):
// - main-thread long tasks (PerformanceObserver 'longtask': tasks over 50 ms, as Chromium reports them);
// - frame gaps: the intervals between requestAnimationFrame callbacks (a blocked main thread shows as a long gap);
// - slow input events (Event Timing: events whose input-to-next-paint took 16 ms or more);
// - keystroke to echo in a terminal: from the key's event timestamp (set by the browser when the key was dispatched,
//   so time spent waiting for a busy main thread counts) until xterm has rendered a frame that holds the echoed
//   character (its cursor moved in the buffer, then onRender). Only 'x' keys are timed; Ctrl-U clears the line.
import type { Page } from 'playwright-core';

export interface PhaseSample {
  longTasks: number[];
  frameGaps: number[];
  slowEvents: { name: string; duration: number }[];
}

export interface EchoSample {
  /** Key event timestamp → the frame holding the echo rendered. */
  echoMs: number;
  /** Key event timestamp → its keydown handler ran (the main thread's share of the wait). */
  inputDelayMs: number;
  /** Key event timestamp → xterm parsed the echo into its buffer (the round trip to the lab and back). */
  parsedMs: number;
}

interface XtermLike {
  buffer: { active: { cursorX: number } };
  onWriteParsed(cb: () => void): unknown;
  onRender(cb: () => void): unknown;
}

interface Probes {
  phase: PhaseSample;
  echo?: { samples: EchoSample[]; waiters: { n: number; resolve(): void }[] };
}

declare global {
  interface Window {
    pwBench?: Probes;
  }
}

/** Runs in the page before anything else. Self-contained: Playwright ships its source text. */
function install(): void {
  const probes: Probes = { phase: { longTasks: [], frameGaps: [], slowEvents: [] } };
  window.pwBench = probes;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probes.phase.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probes.phase.slowEvents.push({ name: e.name, duration: e.duration });
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  } catch {
    // no Event Timing: slowEvents stays empty
  }
  let last: number | undefined;
  const tick = (t: number) => {
    if (last !== undefined) probes.phase.frameGaps.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

export async function installProbes(page: Page): Promise<void> {
  await page.addInitScript(install);
}

/** Starts a new phase: what was recorded so far is dropped. */
export async function resetPhase(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.pwBench!.phase = { longTasks: [], frameGaps: [], slowEvents: [] };
  });
}

export async function takePhase(page: Page): Promise<PhaseSample> {
  return page.evaluate(() => {
    const p = window.pwBench!.phase;
    window.pwBench!.phase = { longTasks: [], frameGaps: [], slowEvents: [] };
    return p;
  });
}

/** Hooks the echo timer onto the target's terminal (its xterm Terminal hangs on the host element as pwTerminal). */
export async function installEcho(page: Page, target: string): Promise<void> {
  await page.waitForFunction((t) => {
    const host = document.querySelector(`[data-testid="terminal-${t}"] [data-terminal-host]`) as (HTMLElement & { pwTerminal?: XtermLike }) | null;
    const term = host?.pwTerminal;
    const input = host?.querySelector('textarea');
    if (!term || !input) return false;
    const echo = { samples: [] as EchoSample[], waiters: [] as { n: number; resolve(): void }[] };
    window.pwBench!.echo = echo;
    let pending: { t0: number; handled: number; x0: number; parsed?: number } | undefined;
    input.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'x' && !e.ctrlKey) pending = { t0: e.timeStamp, handled: performance.now(), x0: term.buffer.active.cursorX };
      },
      true,
    );
    term.onWriteParsed(() => {
      if (pending && pending.parsed === undefined && term.buffer.active.cursorX !== pending.x0) pending.parsed = performance.now();
    });
    term.onRender(() => {
      if (pending?.parsed === undefined) return;
      echo.samples.push({ echoMs: performance.now() - pending.t0, inputDelayMs: pending.handled - pending.t0, parsedMs: pending.parsed - pending.t0 });
      pending = undefined;
      echo.waiters = echo.waiters.filter((w) => (w.n <= echo.samples.length ? (w.resolve(), false) : true));
    });
    return true;
  }, target);
}

/** Resolves once `n` echoes have been timed in total (false after timeoutMs). */
export async function waitEchoes(page: Page, n: number, timeoutMs: number): Promise<boolean> {
  return page.evaluate(
    ([count, timeout]) =>
      new Promise<boolean>((resolve) => {
        const echo = window.pwBench!.echo!;
        if (echo.samples.length >= count) return resolve(true);
        const timer = setTimeout(() => resolve(false), timeout);
        echo.waiters.push({ n: count, resolve: () => (clearTimeout(timer), resolve(true)) });
      }),
    [n, timeoutMs] as const,
  );
}

/** Takes the echo samples so far (and forgets them). */
export async function takeEchoes(page: Page): Promise<EchoSample[]> {
  return page.evaluate(() => {
    const echo = window.pwBench!.echo!;
    const s = echo.samples;
    echo.samples = [];
    return s;
  });
}
