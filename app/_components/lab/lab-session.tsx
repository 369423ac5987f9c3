'use client';
// The lab behind a lesson page, shared by the lab pane (tabs, controls) and the prose (<Run> buttons).
// The state is a reducer over a union (lab-session-state.ts); this provider runs the requests and dispatches
// their outcomes. Two contexts: the state (changes with the lab) and the actions (stable), so a component reads
// what it needs with useLabState() / useLabActions(). Mount <LabSessionProvider> around the article and the pane.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { LabCommandsProvider, type LabCommands } from '../lab-pane/lab-commands.tsx';
import type { StatusDetail } from '../terminal/terminal-connection.ts';
import { readChoice, subscribeChoice, writeChoice, type LabChoice } from './lab-choice.ts';
import { LabApiError, findLab, resetLab, startLab, stopLab } from './lab-client.ts';
import { canRunOn, initialLabSessionState, labOf, labSessionReducer, needsStart, type Failure, type LabSessionState } from './lab-session-state.ts';
import { rewindLab } from '../practice/practice-client.ts';

export { labChoiceKey, type LabChoice } from './lab-choice.ts';
export type { LabPhase } from './lab-session-state.ts';

/** What a mounted terminal offers the session (LabTerminal registers one per target). */
export interface TerminalHandle {
  run(command: string, options?: { interrupt?: boolean }): void;
  focus(): void;
}

/** The session's state as components read it. */
export interface LabSessionSnapshot {
  /** The sandbox the session uses now: the default one, or the lesson's kindSandbox when the learner chose kind. */
  sandbox: string;
  /** The learner's choice for this lesson (persisted per lesson in localStorage). */
  choice: LabChoice;
  /** The lesson's kind sandbox, when it has one. */
  kindSandbox?: string;
  state: LabSessionState;
  /**
   * The lab was set up for another lesson of this sandbox (lab.preparedFor names it): this lesson's challenge is not
   * graded until the lab is reset, and reset() re-prepares it for this lesson. The terminals work as usual.
   */
  preparedForOther: boolean;
}

export interface LabSessionActions {
  /** Switch between the default lab and the kind lab; choosing kind starts (or finds) the kind lab at once. */
  choose(choice: LabChoice): void;
  start(): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
  setActiveTab(id: string): void;
  /** Rebuild the lab to before a task (or, without one, to where the learner was); `labId` names a lab that is gone. */
  rewind(taskId?: string, labId?: string): Promise<void>;
  reportTerminal(target: string, detail: StatusDetail): void;
  registerTerminal(target: string, handle: TerminalHandle): () => void;
}

const LabStateContext = createContext<LabSessionSnapshot | undefined>(undefined);
const LabActionsContext = createContext<LabSessionActions | undefined>(undefined);

/** The session's state, or undefined outside a <LabSessionProvider>. */
export function useLabState(): LabSessionSnapshot | undefined {
  return useContext(LabStateContext);
}

/** The session's actions (stable across lab changes), or undefined outside a <LabSessionProvider>. */
export function useLabActions(): LabSessionActions | undefined {
  return useContext(LabActionsContext);
}

function toFailure(err: unknown): Failure {
  // The server runs without labs (e.g. no Docker): the session says why; lessons still work.
  return { unavailable: err instanceof LabApiError && err.code === 'platform-unavailable', message: err instanceof Error ? err.message : String(err) };
}

export interface LabSessionProviderProps {
  sandbox: string;
  /** The lesson this page shows ("pods/pods-and-network-namespaces"): its challenge setup runs before the lab is ready. */
  lesson?: string;
  /** The sandbox's targets, known before any lab exists (so <Run> can offer to start the lab). */
  targets: string[];
  /** The lesson's kind sandbox ("kind-default") and its targets: offered as "Open on a kind cluster". */
  kindSandbox?: string;
  kindTargets?: string[];
  children: ReactNode;
}

export function LabSessionProvider({ sandbox: defaultSandbox, lesson, targets: defaultTargets, kindSandbox, kindTargets, children }: LabSessionProviderProps) {
  // undefined while hydrating (the server cannot know it and renders the default lab's card), then localStorage's.
  const choice = useSyncExternalStore<LabChoice | undefined>(
    subscribeChoice,
    () => readChoice(lesson, kindSandbox),
    () => undefined,
  );
  const useKind = choice === 'kind' && !!kindSandbox;
  const sandbox = useKind ? kindSandbox : defaultSandbox;
  const targets = useMemo(() => (useKind ? (kindTargets ?? []) : defaultTargets), [useKind, kindTargets, defaultTargets]);
  const [state, dispatch] = useReducer(labSessionReducer, initialLabSessionState);
  // Actions read the lab of the latest render (they stay stable while the lab changes).
  const latest = useRef(state);
  useLayoutEffect(() => {
    latest.current = state;
  });
  /** Set by choose('kind'): once the kind sandbox is looked up and has no lab, start one. */
  const startAfterSwitch = useRef(false);
  const starting = useRef<Promise<void> | undefined>(undefined);
  const handles = useRef(new Map<string, TerminalHandle>());
  const queued = useRef(new Map<string, { command: string; interrupt?: boolean }[]>());

  const start = useCallback((): Promise<void> => {
    if (starting.current) return starting.current;
    dispatch({ type: 'start-requested' });
    const p = startLab(sandbox, (update) => dispatch({ type: 'start-progress', lab: update }), lesson)
      .then(
        (ready) => dispatch({ type: 'started', lab: ready }),
        (err: unknown) => dispatch({ type: 'start-failed', failure: toFailure(err) }),
      )
      .finally(() => {
        starting.current = undefined;
      });
    starting.current = p;
    return p;
  }, [sandbox, lesson]);

  // A reload finds the lab it left: ready (terminals re-attach to their shells) or still starting (join it).
  const choiceKnown = choice !== undefined;
  useEffect(() => {
    if (!choiceKnown) return;
    let cancelled = false;
    findLab(sandbox, lesson).then(
      (found) => {
        if (cancelled) return;
        dispatch({ type: 'found', lab: found });
        const startNow = startAfterSwitch.current;
        startAfterSwitch.current = false;
        if ((!found && startNow) || found?.state === 'pending') void start();
      },
      (err: unknown) => {
        if (!cancelled) dispatch({ type: 'request-failed', failure: toFailure(err) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [choiceKnown, sandbox, lesson, start]);

  const currentChoice = useRef(choice);
  useLayoutEffect(() => {
    currentChoice.current = choice;
  });
  const choose = useCallback(
    (next: LabChoice) => {
      if (next === 'kind' && !kindSandbox) return;
      if (next === (currentChoice.current ?? 'default')) {
        if (next === 'kind') void start();
        return;
      }
      // The other sandbox's lab (if any) keeps running until it expires; switching back finds it again.
      startAfterSwitch.current = next === 'kind';
      writeChoice(lesson, next); // re-renders with the other sandbox; the lookup effect then finds or starts its lab
      dispatch({ type: 'switched' });
    },
    [kindSandbox, lesson, start],
  );

  const refresh = useCallback(async () => {
    try {
      dispatch({ type: 'refreshed', lab: await findLab(sandbox, lesson) });
    } catch (err) {
      dispatch({ type: 'request-failed', failure: toFailure(err) });
    }
  }, [sandbox, lesson]);

  const reset = useCallback(async () => {
    const lab = labOf(latest.current.status);
    if (!lab) return;
    dispatch({ type: 'reset-requested' });
    try {
      dispatch({ type: 'reset-done', lab: await resetLab(lab.id, lesson) });
    } catch (err) {
      dispatch({ type: 'reset-failed', failure: toFailure(err) });
      await refresh();
    }
  }, [lesson, refresh]);

  const rewind = useCallback(
    async (taskId?: string, goneLabId?: string) => {
      const id = labOf(latest.current.status)?.id ?? goneLabId;
      if (!id || !lesson) return;
      dispatch({ type: 'rewind-requested' });
      try {
        const { lab: fresh } = await rewindLab(id, lesson, taskId);
        dispatch({ type: 'rewind-done', lab: fresh });
      } catch (err) {
        dispatch({ type: 'rewind-failed', failure: toFailure(err) });
        await refresh();
      }
    },
    [lesson, refresh],
  );

  const stop = useCallback(async () => {
    const lab = labOf(latest.current.status);
    if (!lab) return;
    dispatch({ type: 'stop-requested' });
    try {
      await stopLab(lab.id);
      dispatch({ type: 'stopped' });
    } catch (err) {
      dispatch({ type: 'stop-failed', failure: toFailure(err) });
    }
  }, []);

  const reportTerminal = useCallback(
    (target: string, detail: StatusDetail) => {
      dispatch({ type: 'terminal-status', target, detail });
      // A terminal closed without a way back usually means the lab itself went away (expired, stopped elsewhere).
      if (detail.status === 'closed' && !detail.action) void refresh();
    },
    [refresh],
  );

  const registerTerminal = useCallback((target: string, handle: TerminalHandle) => {
    handles.current.set(target, handle);
    const waiting = queued.current.get(target);
    if (waiting) {
      queued.current.delete(target);
      for (const w of waiting) handle.run(w.command, { interrupt: w.interrupt });
    }
    return () => {
      if (handles.current.get(target) === handle) handles.current.delete(target);
    };
  }, []);

  const setActiveTab = useCallback((tab: string) => dispatch({ type: 'tab-selected', tab }), []);

  const { status } = state;
  const commands = useMemo<LabCommands | undefined>(() => {
    if (status.phase === 'unavailable' || status.phase === 'checking') return undefined;
    return {
      canRun: (target) => canRunOn(status, target, targets),
      run: (target, command, options) => {
        dispatch({ type: 'tab-selected', tab: target });
        const handle = handles.current.get(target);
        if (handle) {
          handle.run(command, options);
          return;
        }
        // Not open yet: remember the command, and start the lab if there is none.
        const list = queued.current.get(target) ?? [];
        list.push({ command, interrupt: options?.interrupt });
        queued.current.set(target, list);
        if (needsStart(status)) void start();
      },
    };
  }, [status, start, targets]);

  const lab = labOf(status);
  const preparedForOther = Boolean(lesson && lab?.preparedFor && lab.preparedFor.lesson !== lesson);
  const snapshot = useMemo<LabSessionSnapshot>(
    () => ({ sandbox, choice: useKind ? 'kind' : 'default', kindSandbox, state, preparedForOther }),
    [sandbox, useKind, kindSandbox, state, preparedForOther],
  );
  const actions = useMemo<LabSessionActions>(
    () => ({ choose, start, reset, stop, setActiveTab, rewind, reportTerminal, registerTerminal }),
    [choose, start, reset, stop, setActiveTab, rewind, reportTerminal, registerTerminal],
  );

  return (
    <LabActionsContext.Provider value={actions}>
      <LabStateContext.Provider value={snapshot}>
        <LabCommandsProvider value={commands}>{children}</LabCommandsProvider>
      </LabStateContext.Provider>
    </LabActionsContext.Provider>
  );
}
