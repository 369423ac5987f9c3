// The grader service: one per platform. Runs setups, keeps a grading session per (lab, lesson) while pages watch,
// answers "Check", reveals hints and solutions, and reports per-lesson progress for the catalog.
// Route handlers reach it as platform.grader; nothing here knows about HTTP.
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError } from '../errors.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { Lab, LabEvent } from '../lab/lab.ts';
import type { ProgressStore } from '../store/progress-store.ts';
import { challengeView } from './challenge-view.ts';
import { CheckChannels } from './check-channel.ts';
import type { ChallengeView, SetupStatus } from './challenge-view.ts';
import { systemClock } from './grading-loop.ts';
import type { Clock } from './grading-loop.ts';
import { GradingSession } from './grading-session.ts';
import type { SessionKey } from './grading-session.ts';
import type { LessonChallenge, LessonChallengeSource } from './lesson-challenges.ts';
import { runSetup } from './setup-runner.ts';
import { thinnedSchedule } from './command-trigger.ts';
import type { SetupSeeds } from '../practice/setup-seed.ts';
import type { ArtefactSource } from '../artefacts/artefact-store.ts';

const log = createLogger('grader');

export class GraderError extends LabRunnerError {
  override name = 'GraderError';
  readonly status: number;
  constructor(
    code: 'lesson-not-found' | 'lab-not-found' | 'lab-mismatch' | 'task-not-found' | 'setup-failed' | 'setup-other-lesson',
    message: string,
    status: number,
  ) {
    super(code, message);
    this.status = status;
  }
}

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

export interface LessonProgressSummary {
  lesson: string;
  title: string;
  href: string;
  passed: number;
  total: number;
  completedAt?: number;
}

interface SetupEntry {
  /**
   * The lesson the lab is prepared for. Starts as the lesson that asked first; the store may name another one (a
   * record from before a restart), so it is final only once `lessonKnown`.
   */
  lesson: string;
  lessonKnown: boolean;
  /**
   * False when the setup failed before anything was recorded or run (e.g. the challenge does not load): the lab is
   * then nobody's, and another lesson may prepare it.
   */
  claimed: boolean;
  /** Of that lesson's setup. */
  status: Exclude<SetupStatus, 'other-lesson'>;
  error?: string;
  done: Promise<void>;
}

/** What prepareLab found or did, for the lesson that asked. */
export interface SetupOutcome {
  /** 'other-lesson': the lab was prepared for `lesson`, another lesson; nothing ran for the asking one. */
  status: Exclude<SetupStatus, 'running'>;
  /** The lesson the lab is prepared for. */
  lesson: string;
  error?: string;
}

type ViewListener = (view: ChallengeView) => void;
/** Called when the grader stops a watch itself (the lab was reset): the page should reconnect. */
type EndListener = () => void;

interface SessionEntry {
  session: GradingSession;
  lesson: LessonChallenge;
  listeners: Set<ViewListener>;
  enders: Set<EndListener>;
  lastWatchedAt: number;
}

/** Learner activity (terminal input touches the lab) within this window keeps checking at the full rate. */
export const ACTIVE_WINDOW_MS = 2 * 60_000;
/** While the learner is idle, only every Nth background round runs: the lab rarely changes by itself. */
export const IDLE_ROUND_EVERY = 5;

/**
 * Decides, before each background round, whether to run it: never on a paused or gone lab (checking would wake it and
 * defeat the idle timer), every round while the learner is active, one round in IDLE_ROUND_EVERY while idle.
 * The first keystroke after a pause touches the lab, so full-rate checking resumes at the next tick. "Check" always runs.
 */
export function idleAwareSchedule(getLab: () => Promise<Lab | undefined>, clock: Clock): () => Promise<boolean> {
  let skipped = 0;
  return async () => {
    const lab = await getLab();
    if (lab?.state !== 'ready') return false;
    if (clock.now() - lab.lastActiveAt.getTime() < ACTIVE_WINDOW_MS) {
      skipped = 0;
      return true;
    }
    if (++skipped < IDLE_ROUND_EVERY) return false;
    skipped = 0;
    return true;
  };
}

export class Grader {
  readonly #deps: GraderDeps;
  readonly #clock: Clock;
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #setups = new Map<string, SetupEntry>();
  /** When a command last finished in each lab's terminals (commandFinished): periodic rounds thin out meanwhile. */
  readonly #commandAt = new Map<string, number>();
  /** Check channels, when the lab runner offers long-lived execs. */
  readonly channels: CheckChannels | undefined;
  readonly #unsubscribe: (() => void) | undefined;

  constructor(deps: GraderDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    const { labs } = deps;
    if (labs.execStream)
      this.channels = new CheckChannels({ exec: labs.exec.bind(labs), execStream: labs.execStream.bind(labs), clock: this.#clock, idleMs: deps.channelIdleMs });
    this.#unsubscribe = labs.subscribe?.((event) => this.#onLabEvent(event));
  }

  /** Lab events that end a lab's check channels. None of this runs an exec (a paused lab must stay paused). */
  #onLabEvent(event: LabEvent): void {
    const channels = this.channels;
    if (!channels) return;
    if (event.type === 'target-down') void channels.closeTarget(event.labId, event.target, `${event.target} is down`);
    else if (event.type === 'state' && (event.state === 'paused' || event.state === 'destroyed' || event.state === 'failed' || (event.state === 'ready' && event.detail === 'reset')))
      void channels.closeLab(event.labId, event.state === 'ready' ? 'the lab was reset' : `the lab is ${event.state}`);
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
    const entry = this.#entryFor(labId, lesson);
    return entry.done.then(() => outcomeFor(entry, lesson));
  }

  /**
   * The lesson the lab's challenge setup ran (or runs) for, if any: from this process, or from the store after a
   * restart. Undefined for a lab no lesson has prepared yet (started without one, or reset since).
   */
  async preparedLesson(labId: string): Promise<string | undefined> {
    const entry = this.#setups.get(labId);
    if (entry) {
      if (!entry.lessonKnown) await entry.done;
      return entry.claimed ? entry.lesson : undefined;
    }
    return (await this.#deps.progress.getSetup(labId))?.lesson;
  }

  /** The lab's setup entry, started for this lesson if there is none (or only one that never claimed the lab). */
  #entryFor(labId: string, lesson: string): SetupEntry {
    const entry = this.#setups.get(labId);
    if (entry && (entry.claimed || !entry.lessonKnown || entry.lesson === lesson)) return entry;
    return this.#startSetup(labId, lesson);
  }

  #startSetup(labId: string, lesson: string): SetupEntry {
    const entry: SetupEntry = { lesson, lessonKnown: false, claimed: false, status: 'running', done: Promise.resolve() };
    entry.done = (async () => {
      // The lab is being prepared for a lesson: whatever channel served the lab before starts afresh.
      await this.channels?.closeLab(labId, `prepared for ${lesson}`);
      const { progress, labs } = this.#deps;
      const record = await progress.getSetup(labId);
      if (record) {
        entry.lesson = record.lesson;
        entry.lessonKnown = true;
        entry.claimed = true;
        if (record.finishedAt !== undefined) {
          entry.status = record.error ? 'failed' : 'done';
          entry.error = record.error;
        } else {
          entry.status = 'failed';
          entry.error = 'The lab setup was interrupted (the server restarted during it). Reset the lab to start again.';
        }
      } else {
        const challenge = (await this.#lesson(lesson)).challenge;
        const startedAt = this.#clock.now();
        await progress.setupStarted({ labId, lesson, at: startedAt });
        entry.lessonKnown = true;
        entry.claimed = true;
        // Pages of other lessons watching this lab learn now, not after a long setup, that it is not theirs.
        this.#notifyLab(labId);
        // A reset meanwhile (labReset/forgetLab drop this entry) ends this run between steps, and its outcome is not
        // recorded: the lab's record, if any, belongs to the run the reset started.
        const current = () => this.#setups.get(labId) === entry;
        const onProgress = (line: string) => log.info('artefact', { lab: labId, lesson, detail: line });
        const seed = challenge.setup.length > 0 ? await this.#deps.seeds?.ensure(labId, lesson) : undefined;
        const result =
          challenge.setup.length > 0
            ? await runSetup(labs.exec.bind(labs), labId, challenge, { stillCurrent: current, artefacts: this.#deps.artefacts, onProgress, seed })
            : { ok: true as const, steps: [] };
        if (!current()) {
          entry.status = 'failed';
          entry.error = 'The lab was reset while it was being prepared; the fresh lab is prepared again.';
          log.info('setup abandoned: the lab was reset meanwhile', { lab: labId, lesson, stepsRun: result.steps.length });
          return;
        }
        entry.status = result.ok ? 'done' : 'failed';
        entry.error = result.ok ? undefined : `The lab could not be prepared for this lesson (${result.error}). Reset the lab; if it fails again the lesson is broken, please report it.`;
        await progress.setupFinished({ labId, startedAt, at: this.#clock.now(), error: entry.error });
        if (result.ok) log.info('setup done', { lab: labId, lesson, steps: result.steps.length });
        else log.error('setup failed', { lab: labId, lesson, error: result.error, stderr: result.steps.at(-1)?.stderr.slice(-2000) });
      }
      this.#notifyLab(labId);
    })().catch((err: unknown) => {
      entry.status = 'failed';
      entry.error = err instanceof Error ? err.message : String(err);
      // The entry now answers for the lesson that asked (its page shows the error); unless it was claimed, another
      // lesson may still prepare the lab.
      entry.lessonKnown = true;
      this.#notifyLab(labId);
    });
    this.#setups.set(labId, entry);
    return entry;
  }

  /** The current view; also starts setup if nobody did (a lab created before the grader knew the lesson). */
  async view(key: SessionKey): Promise<ChallengeView> {
    return this.#view(await this.#open(key));
  }

  /** Stream views while a page is open. The first view is sent at once. Returns the unsubscribe function. */
  async watch(key: SessionKey, listener: ViewListener, onEnd?: EndListener): Promise<() => void> {
    const entry = await this.#open(key);
    entry.listeners.add(listener);
    if (onEnd) entry.enders.add(onEnd);
    entry.lastWatchedAt = this.#clock.now();
    const stop = entry.session.watch(() => void this.#send(entry));
    listener(await this.#view(entry));
    return () => {
      entry.listeners.delete(listener);
      if (onEnd) entry.enders.delete(onEnd);
      entry.lastWatchedAt = this.#clock.now();
      stop();
    };
  }

  /**
   * A command typed in one of the lab's terminals finished (grader/command-trigger.ts): every watched lesson of the lab
   * gets a round now (or right after the running one); pages see the result through their watch.
   */
  async commandFinished(labId: string): Promise<void> {
    this.#commandAt.set(labId, this.#clock.now());
    const rounds = [...this.#sessions.values()].filter((e) => e.session.key.labId === labId && e.listeners.size > 0).map((e) => e.session.checkNow());
    await Promise.all(rounds);
  }

  async checkNow(key: SessionKey): Promise<ChallengeView> {
    const entry = await this.#open(key);
    await entry.session.checkNow();
    const view = await this.#view(entry);
    this.#send(entry, view);
    return view;
  }

  async revealHint(key: SessionKey, taskId: string): Promise<ChallengeView> {
    const entry = await this.#open(key);
    const task = this.#task(entry, taskId);
    await this.#deps.progress.revealNextHint({ learnerId: key.learnerId, lesson: key.lesson, taskId, available: task.hints.length, at: this.#clock.now() });
    const view = await this.#view(entry);
    this.#send(entry, view);
    return view;
  }

  async revealSolution(key: SessionKey, taskId: string): Promise<ChallengeView> {
    const entry = await this.#open(key);
    this.#task(entry, taskId);
    await this.#deps.progress.recordSolutionRevealed({ learnerId: key.learnerId, lesson: key.lesson, taskId, at: this.#clock.now() });
    const view = await this.#view(entry);
    this.#send(entry, view);
    return view;
  }

  /** Per-lesson progress for the catalog: every lesson with a challenge, touched or not. */
  async catalog(learnerId: string): Promise<LessonProgressSummary[]> {
    const [lessons, progress] = await Promise.all([this.#deps.lessons.list({ skipInvalid: true }), this.#deps.progress.allLessonProgress(learnerId)]);
    return lessons.map((l) => {
      const p = progress.find((x) => x.lesson === l.lesson);
      const total = l.challenge.tasks.length;
      const completedAt = p?.completedAt;
      return {
        lesson: l.lesson,
        title: l.title,
        href: l.href,
        passed: completedAt !== undefined ? total : Math.min(p?.bestPassed ?? 0, total),
        total,
        ...(completedAt !== undefined ? { completedAt } : {}),
      };
    });
  }

  /** Stop grading a lab (it was destroyed). Open pages are told to reconnect. Progress stays in the store. */
  async forgetLab(labId: string): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [k, e] of this.#sessions) {
      if (e.session.key.labId !== labId) continue;
      this.#sessions.delete(k);
      closing.push(e.session.close());
      for (const end of [...e.enders]) end();
    }
    this.#setups.delete(labId);
    this.#commandAt.delete(labId);
    await Promise.all([...closing, this.channels?.closeLab(labId, 'the grader forgot the lab')]);
  }

  /**
   * The lab was reset (fresh nodes, possibly the same id): grade it from scratch and run the lesson's setup again when
   * a page reconnects, so break-fix faults come back. Passes before the reset stay in the learner's history.
   */
  async labReset(labId: string): Promise<void> {
    await this.forgetLab(labId);
    await this.#deps.progress.archiveLab(labId, this.#clock.now());
    await this.#deps.seeds?.forget(labId); // a plain reset draws anew; a rewind stores the old seed again after this
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    const all = [...this.#sessions.values()];
    this.#sessions.clear();
    // Sessions first (a running round finishes through its channel), then the channels.
    await Promise.all(all.map((e) => e.session.close()));
    await this.channels?.close();
  }

  async #lesson(lesson: string): Promise<LessonChallenge> {
    const found = await this.#deps.lessons.get(lesson);
    if (!found) throw new GraderError('lesson-not-found', `No lesson "${lesson}" with a challenge.`, 404);
    return found;
  }

  #task(entry: SessionEntry, taskId: string) {
    const task = entry.lesson.challenge.tasks.find((t) => t.id === taskId);
    if (!task) throw new GraderError('task-not-found', `Lesson ${entry.lesson.lesson} has no task "${taskId}".`, 404);
    return task;
  }

  async #open(key: SessionKey): Promise<SessionEntry> {
    this.#sweep();
    const id = `${key.labId}\u0000${key.lesson}`;
    const existing = this.#sessions.get(id);
    if (existing && existing.session.key.learnerId === key.learnerId) return existing;
    const lesson = await this.#lesson(key.lesson);
    const lab = await this.#deps.labs.get(key.labId);
    // Same answer for "no such lab" and "someone else's lab": lab ids are not to be probed.
    if (!lab || lab.learnerId !== key.learnerId) throw new GraderError('lab-not-found', `No lab ${key.labId} for you. Start the lesson's lab first.`, 404);
    if (lab.template !== lesson.sandbox && lab.template !== lesson.kindSandbox)
      throw new GraderError('lab-mismatch', `Lab ${key.labId} runs sandbox ${lab.template}, but lesson ${lesson.lesson} needs ${lesson.sandbox}.`, 409);
    const setup = this.#entryFor(key.labId, key.lesson);
    const labs = this.#deps.labs;
    const ready = setup.done.then(() => {
      // Never grade this lesson on a lab set up for another: its faults are not there, the other lesson's may be.
      if (setup.claimed && setup.lesson !== key.lesson)
        throw new GraderError('setup-other-lesson', `Lab ${key.labId} is set up for lesson ${setup.lesson}; reset it for ${key.lesson} to grade this challenge.`, 409);
      if (setup.status === 'failed') throw new GraderError('setup-failed', setup.error ?? 'setup failed', 409);
    });
    ready.catch(() => {}); // rounds await it and report; nobody else must see an unhandled rejection
    const session = new GradingSession({
      ...key,
      challenge: lesson.challenge,
      exec: labs.exec.bind(labs),
      ...(this.channels ? { runChecks: this.channels.run.bind(this.channels) } : {}),
      progress: this.#deps.progress,
      intervalMs: this.#deps.intervalMs,
      clock: this.#clock,
      ready,
      shouldCheck: thinnedSchedule(idleAwareSchedule(() => labs.get(key.labId), this.#clock), () => this.#commandAt.get(key.labId), this.#clock),
    });
    const entry: SessionEntry = { session, lesson, listeners: new Set(), enders: new Set(), lastWatchedAt: this.#clock.now() };
    this.#sessions.set(id, entry);
    if (existing) void existing.session.close();
    return entry;
  }

  #sweep(): void {
    const idle = this.#deps.idleSessionMs ?? 10 * 60_000;
    const now = this.#clock.now();
    for (const [k, e] of this.#sessions) {
      if (e.listeners.size === 0 && !e.session.busy && now - e.lastWatchedAt > idle) {
        this.#sessions.delete(k);
        void e.session.close();
      }
    }
  }

  async #view(entry: SessionEntry): Promise<ChallengeView> {
    const { labId, lesson, learnerId } = entry.session.key;
    const setup = this.#setups.get(labId);
    const other = setup?.lessonKnown === true && setup.claimed && setup.lesson !== lesson ? setup.lesson : undefined;
    const [state, progress, otherLesson] = await Promise.all([
      entry.session.state(),
      this.#deps.progress.lessonProgress(learnerId, lesson),
      other === undefined ? undefined : this.#deps.lessons.get(other).catch(() => undefined),
    ]);
    return challengeView({
      lesson,
      labId,
      challenge: entry.lesson.challenge,
      state,
      progress,
      setup:
        other !== undefined
          ? { status: 'other-lesson', lesson: { lesson: other, title: otherLesson?.title ?? other, ...(otherLesson ? { href: otherLesson.href } : {}) } }
          : { status: setup?.status ?? 'running', error: setup?.error },
      checking: entry.session.busy,
      now: this.#clock.now(),
    });
  }

  #send(entry: SessionEntry, view?: ChallengeView): void {
    if (entry.listeners.size === 0) return;
    const deliver = (v: ChallengeView) => {
      for (const l of entry.listeners) {
        try {
          l(v);
        } catch (err) {
          log.warn('challenge listener threw', { error: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    if (view) deliver(view);
    else this.#view(entry).then(deliver, (err: unknown) => log.warn('could not build challenge view', { error: String(err) }));
  }

  #notifyLab(labId: string): void {
    for (const e of this.#sessions.values()) if (e.session.key.labId === labId) this.#send(e);
  }
}

function outcomeFor(entry: SetupEntry, lesson: string): SetupOutcome {
  if (entry.lesson !== lesson && entry.claimed) return { status: 'other-lesson', lesson: entry.lesson };
  if (entry.status === 'failed') return { status: 'failed', lesson, ...(entry.error ? { error: entry.error } : {}) };
  return { status: 'done', lesson };
}
