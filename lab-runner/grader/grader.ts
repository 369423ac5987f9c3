// The grader service: one per platform. A small facade over the lab setups (lab-setups.ts: hidden setup once per lab
// and lesson), the grading sessions (grading-sessions.ts: one per (lab, lesson) while pages watch) and their views
// (session-view.ts). It answers "Check", reveals hints and solutions, and reports per-lesson progress for the catalog.
// Route handlers reach it as platform.grader; nothing here knows about HTTP.
import type { LabManager } from '../lab/lab-manager.ts';
import type { LabEvent } from '../lab/lab.ts';
import type { ProgressStore } from '../store/progress-store.ts';
import type { ArtefactSource } from '../artefacts/artefact-store.ts';
import type { SetupSeeds } from '../practice/setup-seed.ts';
import type { ChallengeView, LessonProgressSummary } from '../wire/challenge.ts';
import { CheckChannels } from './check-channel.ts';
import { GraderError } from './grader-error.ts';
import { systemClock } from './grading-loop.ts';
import type { Clock } from './grading-loop.ts';
import type { SessionKey } from './grading-session.ts';
import { GradingSessions } from './grading-sessions.ts';
import type { EndListener, SessionEntry, ViewListener, ViewObserver } from './grading-sessions.ts';
import { LabSetups } from './lab-setups.ts';
import type { LessonChallenge, LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import { progressCatalog } from './progress-catalog.ts';
import { sessionView } from './session-view.ts';
import type { SetupOutcome } from './setup-state.ts';

export { GraderError } from './grader-error.ts';
export { ACTIVE_WINDOW_MS, IDLE_ROUND_EVERY, idleAwareSchedule } from './idle-schedule.ts';
export type { SetupOutcome } from './setup-state.ts';

export interface GraderDeps {
  /**
   * The lab runner. With execStream, rounds go through a persistent check channel per (lab, target) (check-channel.ts)
   * instead of one exec each; with subscribe, the grader closes a lab's channels when it is paused, reset or destroyed.
   */
  labs: Pick<LabManager, 'exec' | 'get'> & Partial<Pick<LabManager, 'execStream' | 'subscribe'>>;
  progress: ProgressStore;
  lessons: LessonChallengeSource;
  /** GRADER_INTERVAL. */
  intervalMs: number;
  clock?: Clock;
  /** Drop a session nobody has watched for this long (default 10 min); its progress is in the store. */
  idleSessionMs?: number;
  /** Close a check channel unused for this long (default CHANNEL_IDLE_MS, 60 s). */
  channelIdleMs?: number;
  /** Pinned third-party files setup steps may declare (DATA_DIR/artefacts); without it such a step fails. */
  artefacts?: ArtefactSource;
  /** Seeds setups so a rewind replays the same random draw (practice/setup-seed.ts); without it setups draw freely. */
  seeds?: Pick<SetupSeeds, 'ensure' | 'forget'>;
}

export class Grader {
  readonly #deps: GraderDeps;
  readonly #clock: Clock;
  readonly #setups: LabSetups;
  readonly #sessions: GradingSessions;
  readonly #view: (entry: SessionEntry) => Promise<ChallengeView>;
  /** Check channels, when the lab runner offers long-lived execs. */
  readonly channels: CheckChannels | undefined;
  readonly #unsubscribe: (() => void) | undefined;
  /** When a command last finished in each lab's terminals (commandFinished): periodic rounds thin out meanwhile. */
  readonly #commandAt = new Map<string, number>();

  constructor(deps: GraderDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    const { labs, progress, lessons } = deps;
    if (labs.execStream)
      this.channels = new CheckChannels({ exec: labs.exec.bind(labs), execStream: labs.execStream.bind(labs), clock: this.#clock, idleMs: deps.channelIdleMs });
    const lesson = (id: string) => this.#lesson(id);
    this.#setups = new LabSetups({
      exec: labs.exec.bind(labs),
      progress,
      lesson,
      clock: this.#clock,
      channels: this.channels,
      artefacts: deps.artefacts,
      seeds: deps.seeds,
      changed: (labId) => this.#sessions.notifyLab(labId),
    });
    const setups = this.#setups;
    this.#view = (entry) => sessionView(entry, { setups, progress, lessons, clock: this.#clock });
    this.#sessions = new GradingSessions({
      labs,
      progress,
      setups,
      lesson,
      view: this.#view,
      channels: this.channels,
      intervalMs: deps.intervalMs,
      clock: this.#clock,
      idleSessionMs: deps.idleSessionMs ?? 10 * 60_000,
      commandAt: (labId) => this.#commandAt.get(labId),
    });
    this.#unsubscribe = labs.subscribe?.((event) => this.#onLabEvent(event));
  }

  /** Lab events that end a lab's check channels. None of this runs an exec (a paused lab must stay paused). */
  #onLabEvent(event: LabEvent): void {
    const channels = this.channels;
    if (!channels) return;
    if (event.type === 'target-down') void channels.closeTarget(event.labId, event.target, `${event.target} is down`);
    else if (event.type === 'reset') void channels.closeLab(event.labId, 'the lab was reset');
    else if (event.type === 'state' && (event.state === 'paused' || event.state === 'destroyed' || event.state === 'failed'))
      void channels.closeLab(event.labId, `the lab is ${event.state}`);
  }

  /**
   * Runs the lesson's hidden setup on a fresh lab, once: concurrent and later calls share the first run, across
   * restarts too (the store remembers it), so a lab is never broken twice. Call it right after the lab is created.
   *
   * A lab belongs to one lesson at a time. Labs are per (learner, sandbox), so a learner who moves to another lesson
   * of the same sandbox keeps the lab; when it was prepared (or is being prepared) for another lesson, this lesson's
   * setup does NOT run on top (its faults would land on a lab already changed for the other one) and the outcome is
   * 'other-lesson'. The lab has to be reset (labReset) before it can be prepared for this lesson.
   */
  prepareLab(labId: string, lesson: string): Promise<SetupOutcome> {
    return this.#setups.prepare(labId, lesson);
  }

  /**
   * The lesson the lab's challenge setup ran (or runs) for, if any: from this process, or from the store after a
   * restart. Undefined for a lab no lesson has prepared yet (started without one, or reset since).
   */
  preparedLesson(labId: string): Promise<string | undefined> {
    return this.#setups.preparedLesson(labId);
  }

  /** The current view; also starts setup if nobody did (a lab created before the grader knew the lesson). */
  async view(key: SessionKey): Promise<ChallengeView> {
    return this.#view(await this.#sessions.open(key));
  }

  /** Stream views while a page is open. The first view is sent at once. Returns the unsubscribe function. */
  async watch(key: SessionKey, listener: ViewListener, onEnd?: EndListener): Promise<() => void> {
    const entry = await this.#sessions.open(key);
    entry.listeners.add(listener);
    if (onEnd) entry.enders.add(onEnd);
    entry.lastWatchedAt = this.#clock.now();
    const stop = entry.session.watch(() => this.#sessions.send(entry));
    listener(await this.#view(entry));
    return () => {
      entry.listeners.delete(listener);
      if (onEnd) entry.enders.delete(onEnd);
      entry.lastWatchedAt = this.#clock.now();
      stop();
    };
  }

  /** Every view the grader sends to a page, with its learner (the classroom dashboard). Returns the unsubscribe function. */
  observe(observer: ViewObserver): () => void {
    return this.#sessions.observe(observer);
  }

  /**
   * A command typed in one of the lab's terminals finished (command-trigger.ts): every watched lesson of the lab gets a
   * round now (or right after the running one); pages see the result through their watch.
   */
  async commandFinished(labId: string): Promise<void> {
    this.#commandAt.set(labId, this.#clock.now());
    await Promise.all(this.#sessions.watchedIn(labId).map((e) => e.session.checkNow()));
  }

  async checkNow(key: SessionKey): Promise<ChallengeView> {
    const entry = await this.#sessions.open(key);
    await entry.session.checkNow();
    return this.#viewAndSend(entry);
  }

  async revealHint(key: SessionKey, taskId: string): Promise<ChallengeView> {
    const entry = await this.#sessions.open(key);
    const task = this.#task(entry, taskId);
    await this.#deps.progress.revealNextHint({ learnerId: key.learnerId, lesson: key.lesson, taskId, available: task.hints.length, at: this.#clock.now() });
    return this.#viewAndSend(entry);
  }

  async revealSolution(key: SessionKey, taskId: string): Promise<ChallengeView> {
    const entry = await this.#sessions.open(key);
    this.#task(entry, taskId);
    await this.#deps.progress.recordSolutionRevealed({ learnerId: key.learnerId, lesson: key.lesson, taskId, at: this.#clock.now() });
    return this.#viewAndSend(entry);
  }

  /** Per-lesson progress for the catalog: every lesson with a challenge, touched or not. */
  catalog(learnerId: string): Promise<LessonProgressSummary[]> {
    return progressCatalog(learnerId, this.#deps);
  }

  /** Stop grading a lab (it was destroyed). Open pages are told to reconnect. Progress stays in the store. */
  async forgetLab(labId: string): Promise<void> {
    const ending = this.#sessions.endLab(labId);
    this.#setups.forget(labId);
    this.#commandAt.delete(labId);
    await Promise.all([ending, this.channels?.closeLab(labId, 'the grader forgot the lab')]);
  }

  /**
   * The lab was reset (fresh nodes, possibly the same id): grade it from scratch and run the lesson's setup again when
   * a page reconnects, so break-fix faults come back. Passes before the reset stay in the learner's history.
   */
  async labReset(labId: string): Promise<void> {
    await this.forgetLab(labId);
    await this.#deps.progress.archiveLab(labId, this.#clock.now());
    await this.#deps.seeds?.forget(labId); // a plain reset draws anew; a rewind stores the old seed again after this
    await this.#deps.seeds?.forget(labId); // a plain reset draws anew; a rewind stores the old seed again after this
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    // Sessions first (a running round finishes through its channel), then the channels.
    await this.#sessions.close();
    await this.channels?.close();
  }

  async #lesson(lesson: string): Promise<LessonChallenge> {
    const found = await this.#deps.lessons.get(lesson);
    if (!found) throw new GraderError('lesson-not-found', `No lesson "${lesson}" with a challenge.`);
    return found;
  }

  #task(entry: SessionEntry, taskId: string) {
    const task = entry.lesson.challenge.tasks.find((t) => t.id === taskId);
    if (!task) throw new GraderError('task-not-found', `Lesson ${entry.lesson.lesson} has no task "${taskId}".`);
    return task;
  }

  async #viewAndSend(entry: SessionEntry): Promise<ChallengeView> {
    const view = await this.#view(entry);
    this.#sessions.send(entry, view);
    return view;
  }
}
