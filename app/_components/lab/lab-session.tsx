'use client';
// The lab behind a lesson page, shared by the lab pane (tabs, controls) and the prose (<Run> buttons):
// which lab, its state and progress, start/reset/stop, each terminal's status, and LabCommands for <Run>.
// Mount <LabSessionProvider> around both the article and the lab pane.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { LabCommandsProvider, type LabCommands } from '../lab-pane/lab-commands.tsx';
import type { StatusDetail } from '../terminal/terminal-connection.ts';
import { LabApiError, findLab, resetLab, startLab, stopLab, type LabView } from './lab-client.ts';
import { rewindLab } from '../practice/practice-client.ts';

export type LabPhase = 'checking' | 'idle' | 'starting' | 'ready' | 'resetting' | 'stopping' | 'unavailable';

/** Which of the lesson's labs the learner chose: the default sandbox (bare nodes) or the lesson's kindSandbox. */
export type LabChoice = 'default' | 'kind';

/** localStorage key of the learner's lab choice for a lesson (only "kind" is stored; absent means default). */
export const labChoiceKey = (lesson: string | undefined) => `packetwalk.lab-choice.${lesson ?? '-'}`;

function readChoice(lesson: string | undefined, kindSandbox: string | undefined): LabChoice {
  if (!kindSandbox) return 'default';
  try {
    return localStorage.getItem(labChoiceKey(lesson)) === 'kind' ? 'kind' : 'default';
  } catch {
    return unstoredChoices.get(labChoiceKey(lesson)) ?? 'default'; // storage blocked
  }
}

const CHOICE_EVENT = 'pw-lab-choice';
/** Private mode without storage: the choice still applies while the page is open. */
const unstoredChoices = new Map<string, LabChoice>();

function writeChoice(lesson: string | undefined, choice: LabChoice): void {
  unstoredChoices.set(labChoiceKey(lesson), choice);
  try {
    if (choice === 'kind') localStorage.setItem(labChoiceKey(lesson), 'kind');
    else localStorage.removeItem(labChoiceKey(lesson));
    unstoredChoices.delete(labChoiceKey(lesson));
  } catch {
    // Not persisted; unstoredChoices carries it.
  }
  window.dispatchEvent(new Event(CHOICE_EVENT));
}

function subscribeChoice(onChange: () => void): () => void {
  window.addEventListener(CHOICE_EVENT, onChange);
  return () => window.removeEventListener(CHOICE_EVENT, onChange);
}

/** What a mounted terminal offers the session (LabTerminal registers one per target). */
export interface TerminalHandle {
  run(command: string, options?: { interrupt?: boolean }): void;
  focus(): void;
}

export interface LabSession {
  /** The sandbox the session uses now: the default one, or the lesson's kindSandbox when the learner chose kind. */
  sandbox: string;
  /** The learner's choice for this lesson (persisted per lesson in localStorage). */
  choice: LabChoice;
  /** The lesson's kind sandbox, when it has one. */
  kindSandbox?: string;
  /** Switch between the default lab and the kind lab; choosing kind starts (or finds) the kind lab at once. */
  choose(choice: LabChoice): void;
  lab: LabView | null;
  /**
   * The lab was set up for another lesson of this sandbox (lab.preparedFor names it): this lesson's challenge is not
   * graded until the lab is reset, and reset() re-prepares it for this lesson. The terminals work as usual.
   */
  preparedForOther: boolean;
  phase: LabPhase;
  error?: string;
  /** Bumped on reset so terminals remount with fresh shells. */
  generation: number;
  terminals: Record<string, StatusDetail>;
  activeTab: string | undefined;
  setActiveTab(id: string): void;
  start(): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
  /** Rebuild the lab to before a task (or, without one, to where the learner was); `labId` names a lab that is gone. */
  rewind(taskId?: string, labId?: string): Promise<void>;
  reportTerminal(target: string, detail: StatusDetail): void;
  registerTerminal(target: string, handle: TerminalHandle): () => void;
}

const LabSessionContext = createContext<LabSession | undefined>(undefined);

export function useLabSession(): LabSession | undefined {
  return useContext(LabSessionContext);
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
  const choice = useSyncExternalStore<LabChoice | undefined>(subscribeChoice, () => readChoice(lesson, kindSandbox), () => undefined);
  const useKind = choice === 'kind' && !!kindSandbox;
  const sandbox = useKind ? kindSandbox : defaultSandbox;
  const targets = useMemo(() => (useKind ? (kindTargets ?? []) : defaultTargets), [useKind, kindTargets, defaultTargets]);
  /** Set by choose('kind'): once the kind sandbox is looked up and has no lab, start one. */
  const startAfterSwitch = useRef(false);
  const [lab, setLab] = useState<LabView | null>(null);
  const [phase, setPhase] = useState<LabPhase>('checking');
  const [error, setError] = useState<string | undefined>();
  const [generation, setGeneration] = useState(0);
  const [terminals, setTerminals] = useState<Record<string, StatusDetail>>({});
  const [activeTab, setActiveTab] = useState<string | undefined>();
  const handles = useRef(new Map<string, TerminalHandle>());
  const queued = useRef(new Map<string, { command: string; interrupt?: boolean }[]>());
  const starting = useRef<Promise<void> | undefined>(undefined);

  const fail = useCallback((err: unknown) => {
    if (err instanceof LabApiError && err.code === 'platform-unavailable') {
      // The server runs without labs (e.g. no Docker): say why; lessons still work.
      setPhase('unavailable');
      setError(err.message);
      return;
    }
    setError(err instanceof Error ? err.message : String(err));
  }, []);

  const start = useCallback((): Promise<void> => {
    if (starting.current) return starting.current;
    setError(undefined);
    setPhase('starting');
    const p = startLab(sandbox, (update) => setLab(update), lesson)
      .then((ready) => {
        setLab(ready);
        setPhase('ready');
      })
      .catch((err: unknown) => {
        // The failed start leaves no lab to control: drop its last progress view so only the start card and its error remain.
        setLab(null);
        setPhase('idle');
        fail(err);
      })
      .finally(() => {
        starting.current = undefined;
      });
    starting.current = p;
    return p;
  }, [sandbox, lesson, fail]);

  // A reload finds the lab it left: ready (terminals re-attach to their shells) or still starting (join it).
  const choiceKnown = choice !== undefined;
  useEffect(() => {
    if (!choiceKnown) return;
    let cancelled = false;
    findLab(sandbox, lesson).then(
      (found) => {
        if (cancelled) return;
        setLab(found);
        const startNow = startAfterSwitch.current;
        startAfterSwitch.current = false;
        if (!found && startNow) void start();
        else if (!found) setPhase('idle');
        else if (found.state === 'pending') void start();
        else setPhase('ready');
      },
      (err: unknown) => {
        if (cancelled) return;
        setPhase('idle');
        fail(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [choiceKnown, sandbox, lesson, start, fail]);

  const choose = useCallback(
    (next: LabChoice) => {
      if (next === 'kind' && !kindSandbox) return;
      if (next === (choice ?? 'default')) {
        if (next === 'kind') void start();
        return;
      }
      // The other sandbox's lab (if any) keeps running until it expires; switching back finds it again.
      startAfterSwitch.current = next === 'kind';
      writeChoice(lesson, next); // re-renders with the other sandbox; the lookup effect then finds or starts its lab
      setError(undefined);
      setLab(null);
      setTerminals({});
      setActiveTab(undefined);
      setPhase('checking');
    },
    [choice, kindSandbox, lesson, start],
  );

  const refresh = useCallback(async () => {
    try {
      const found = await findLab(sandbox, lesson);
      setLab(found);
      if (!found) {
        setPhase('idle');
        setTerminals({});
      }
    } catch (err) {
      fail(err);
    }
  }, [sandbox, lesson, fail]);

  const reset = useCallback(async () => {
    if (!lab) return;
    setError(undefined);
    setPhase('resetting');
    try {
      const fresh = await resetLab(lab.id, lesson);
      setLab(fresh);
      setTerminals({});
      setGeneration((g) => g + 1);
      setPhase('ready');
    } catch (err) {
      fail(err);
      await refresh();
      setPhase((p) => (p === 'resetting' ? 'ready' : p));
    }
  }, [lab, lesson, fail, refresh]);

  const rewind = useCallback(
    async (taskId?: string, goneLabId?: string) => {
      const id = lab?.id ?? goneLabId;
      if (!id || !lesson) return;
      setError(undefined);
      setPhase('resetting');
      try {
        const { lab: fresh } = await rewindLab(id, lesson, taskId);
        setLab(fresh);
        setTerminals({});
        setGeneration((g) => g + 1);
        setPhase(fresh ? 'ready' : 'idle');
      } catch (err) {
        fail(err);
        await refresh();
        setPhase((p) => (p === 'resetting' ? 'ready' : p));
      }
    },
    [lab, lesson, fail, refresh],
  );

  const stop = useCallback(async () => {
    if (!lab) return;
    setError(undefined);
    setPhase('stopping');
    try {
      await stopLab(lab.id);
      setLab(null);
      setTerminals({});
      setPhase('idle');
    } catch (err) {
      fail(err);
      setPhase('ready');
    }
  }, [lab, fail]);

  const reportTerminal = useCallback(
    (target: string, detail: StatusDetail) => {
      setTerminals((t) => ({ ...t, [target]: detail }));
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

  const commands = useMemo<LabCommands | undefined>(() => {
    if (phase === 'unavailable' || phase === 'checking') return undefined;
    const known = lab && lab.state !== 'pending' ? lab.targets.map((t) => t.name) : targets;
    return {
      canRun: (target) => known.includes(target) && phase !== 'stopping' && phase !== 'resetting',
      run: (target, command, options) => {
        setActiveTab(target);
        const handle = handles.current.get(target);
        if (handle) {
          handle.run(command, options);
          return;
        }
        // Not open yet: remember the command, and start the lab if there is none.
        const list = queued.current.get(target) ?? [];
        list.push({ command, interrupt: options?.interrupt });
        queued.current.set(target, list);
        if (!lab || lab.state === 'pending') void start();
      },
    };
  }, [phase, lab, start, targets]);

  const preparedForOther = Boolean(lesson && lab?.preparedFor && lab.preparedFor.lesson !== lesson);
  const value = useMemo<LabSession>(
    () => ({ sandbox, choice: useKind ? 'kind' : 'default', kindSandbox, choose, lab, preparedForOther, phase, error, generation, terminals, activeTab, setActiveTab, start, reset, stop, rewind, reportTerminal, registerTerminal }),
    [sandbox, useKind, kindSandbox, choose, lab, preparedForOther, phase, error, generation, terminals, activeTab, start, reset, stop, rewind, reportTerminal, registerTerminal],
  );

  return (
    <LabSessionContext.Provider value={value}>
      <LabCommandsProvider value={commands}>{children}</LabCommandsProvider>
    </LabSessionContext.Provider>
  );
}
