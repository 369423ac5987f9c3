// The open grading sessions: one per (lab, lesson) while pages watch it, with the pages' listeners. Opening one checks
// that the lab is the learner's and runs the lesson's sandbox, and ties its rounds to the lab's setup.
import { createLogger } from '../../lib/log.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { ProgressStore } from '../store/progress-store.ts';
import type { ChallengeView } from '../wire/challenge.ts';
import type { CheckChannels } from './check-channel.ts';
import { GraderError } from './grader-error.ts';
import type { Clock } from './grading-loop.ts';
import { GradingSession } from './grading-session.ts';
import type { SessionKey } from './grading-session.ts';
import { idleAwareSchedule } from './idle-schedule.ts';
import { thinnedSchedule } from './command-trigger.ts';
import type { LabSetups } from './lab-setups.ts';
import type { LessonChallenge } from '../../course/challenge/lesson-challenges.ts';

const log = createLogger('grader');

export type ViewListener = (view: ChallengeView) => void;
/** A server-side observer of every view sent to a page, with its learner (the classroom dashboard). */
export type ViewObserver = (learnerId: string, view: ChallengeView) => void;
/** Called when the grader stops a watch itself (the lab was reset): the page should reconnect. */
export type EndListener = () => void;

export interface SessionEntry {
  session: GradingSession;
  lesson: LessonChallenge;
  listeners: Set<ViewListener>;
  enders: Set<EndListener>;
  lastWatchedAt: number;
}

export interface GradingSessionsDeps {
  labs: Pick<LabManager, 'exec' | 'get'>;
  progress: ProgressStore;
  setups: LabSetups;
  /** The lesson's challenge; throws GraderError('lesson-not-found') for an unknown lesson. */
  lesson(lesson: string): Promise<LessonChallenge>;
  /** The view a session's pages get (session-view.ts). */
  view(entry: SessionEntry): Promise<ChallengeView>;
  channels: CheckChannels | undefined;
  intervalMs: number;
  clock: Clock;
  idleSessionMs: number;
  /** When a command last finished in the lab's terminals: periodic rounds thin out meanwhile (command-trigger.ts). */
  commandAt(labId: string): number | undefined;
}

export class GradingSessions {
  readonly #deps: GradingSessionsDeps;
  /** labId -> lesson -> session. */
  readonly #byLab = new Map<string, Map<string, SessionEntry>>();
  /** They see views only while a page watches: the grader runs rounds for watched sessions alone. */
  readonly #observers = new Set<ViewObserver>();

  constructor(deps: GradingSessionsDeps) {
    this.#deps = deps;
  }

  /** The session for this key, opened (and the lab's setup started) if there is none for this learner. */
  async open(key: SessionKey): Promise<SessionEntry> {
    this.#sweep();
    const existing = this.#byLab.get(key.labId)?.get(key.lesson);
    if (existing && existing.session.key.learnerId === key.learnerId) return existing;
    const lesson = await this.#deps.lesson(key.lesson);
    const { labs, clock } = this.#deps;
    const lab = await labs.get(key.labId);
    // Same answer for "no such lab" and "someone else's lab": lab ids are not to be probed.
    if (!lab || lab.learnerId !== key.learnerId) throw new GraderError('lab-not-found', `No lab ${key.labId} for you. Start the lesson's lab first.`);
    if (lab.template !== lesson.sandbox && lab.template !== lesson.kindSandbox)
      throw new GraderError('lab-mismatch', `Lab ${key.labId} runs sandbox ${lab.template}, but lesson ${lesson.lesson} needs ${lesson.sandbox}.`);
    const ready = this.#deps.setups.readyFor(key.labId, key.lesson);
    ready.catch(() => {}); // rounds await it and report; nobody else must see an unhandled rejection
    const channels = this.#deps.channels;
    const session = new GradingSession({
      ...key,
      challenge: lesson.challenge,
      exec: labs.exec.bind(labs),
      ...(channels ? { runChecks: channels.run.bind(channels) } : {}),
      progress: this.#deps.progress,
      intervalMs: this.#deps.intervalMs,
      clock,
      ready,
      shouldCheck: thinnedSchedule(
        idleAwareSchedule(() => labs.get(key.labId), clock),
        () => this.#deps.commandAt(key.labId),
        clock,
      ),
    });
    const entry: SessionEntry = { session, lesson, listeners: new Set(), enders: new Set(), lastWatchedAt: clock.now() };
    const byLesson = this.#byLab.get(key.labId) ?? new Map<string, SessionEntry>();
    byLesson.set(key.lesson, entry);
    this.#byLab.set(key.labId, byLesson);
    if (existing) void existing.session.close();
    return entry;
  }

  /** Every view sent to a page, with its learner. Returns the unsubscribe function. */
  observe(observer: ViewObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Sends the entry's pages (and the observers) a view (this one, or a fresh one). */
  send(entry: SessionEntry, view?: ChallengeView): void {
    if (entry.listeners.size === 0 && this.#observers.size === 0) return;
    const deliver = (v: ChallengeView) => {
      for (const o of this.#observers) {
        try {
          o(entry.session.key.learnerId, v);
        } catch (err) {
          log.warn('challenge observer threw', { error: err instanceof Error ? err.message : String(err) });
        }
      }
      for (const l of entry.listeners) {
        try {
          l(v);
        } catch (err) {
          log.warn('challenge listener threw', { error: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    if (view) deliver(view);
    else this.#deps.view(entry).then(deliver, (err: unknown) => log.warn('could not build challenge view', { error: String(err) }));
  }

  /** The lab's sessions some page watches (a finished command checks them at once). */
  watchedIn(labId: string): SessionEntry[] {
    return [...(this.#byLab.get(labId)?.values() ?? [])].filter((e) => e.listeners.size > 0);
  }

  /** Every page watching this lab gets a fresh view (its setup moved on). */
  notifyLab(labId: string): void {
    for (const e of this.#byLab.get(labId)?.values() ?? []) this.send(e);
  }

  /** Closes the lab's sessions and tells their pages to reconnect. */
  async endLab(labId: string): Promise<void> {
    const entries = [...(this.#byLab.get(labId)?.values() ?? [])];
    this.#byLab.delete(labId);
    const closing = entries.map((e) => e.session.close());
    for (const e of entries) for (const end of [...e.enders]) end();
    await Promise.all(closing);
  }

  async close(): Promise<void> {
    const all = [...this.#byLab.values()].flatMap((m) => [...m.values()]);
    this.#byLab.clear();
    await Promise.all(all.map((e) => e.session.close()));
  }

  /** Drops sessions nobody has watched for idleSessionMs (their progress is in the store). */
  #sweep(): void {
    const now = this.#deps.clock.now();
    for (const [labId, byLesson] of this.#byLab) {
      for (const [lesson, e] of byLesson) {
        if (e.listeners.size === 0 && !e.session.busy && now - e.lastWatchedAt > this.#deps.idleSessionMs) {
          byLesson.delete(lesson);
          void e.session.close();
        }
      }
      if (byLesson.size === 0) this.#byLab.delete(labId);
    }
  }
}
