// Each lab's challenge setup (break-fix faults), run once per lab and lesson: concurrent and later requests share the
// first run, across restarts too (the progress store remembers it), so a lab is never broken twice.
import { createLogger } from '../../lib/log.ts';
import type { ArtefactSource } from '../artefacts/artefact-store.ts';
import type { ProgressStore } from '../store/progress-store.ts';
import type { CheckChannels } from './check-channel.ts';
import type { LabExec } from './check-runner.ts';
import { GraderError } from './grader-error.ts';
import type { Clock } from './grading-loop.ts';
import type { LessonChallenge } from '../../course/challenge/lesson-challenges.ts';
import { runSetup } from './setup-runner.ts';
import type { SetupSeeds } from '../practice/setup-seed.ts';
import { isClaimed, otherLesson, outcomeFor } from './setup-state.ts';
import type { Setup, SetupOutcome } from './setup-state.ts';

const log = createLogger('grader');

export interface LabSetupsDeps {
  exec: LabExec;
  progress: ProgressStore;
  /** The lesson's challenge; throws GraderError('lesson-not-found') for an unknown lesson. */
  lesson(lesson: string): Promise<LessonChallenge>;
  clock: Clock;
  channels: CheckChannels | undefined;
  artefacts: ArtefactSource | undefined;
  /** Seeds setups so a rewind replays the same random draw (practice/setup-seed.ts); without it setups draw freely. */
  seeds?: Pick<SetupSeeds, 'ensure'>;
  /** A lab's setup moved on: pages watching that lab get a new view. */
  changed(labId: string): void;
}

/** One lab's setup: where it stands, and a promise that resolves once it stops moving (never rejects). */
interface SetupEntry {
  setup: Setup;
  done: Promise<void>;
}

export class LabSetups {
  readonly #deps: LabSetupsDeps;
  readonly #entries = new Map<string, SetupEntry>();

  constructor(deps: LabSetupsDeps) {
    this.#deps = deps;
  }

  /** See Grader.prepareLab. */
  prepare(labId: string, lesson: string): Promise<SetupOutcome> {
    const entry = this.#entryFor(labId, lesson);
    return entry.done.then(() => outcomeFor(entry.setup, lesson));
  }

  /** See Grader.preparedLesson. */
  async preparedLesson(labId: string): Promise<string | undefined> {
    const entry = this.#entries.get(labId);
    if (entry) {
      if (entry.setup.phase === 'claiming') await entry.done;
      return isClaimed(entry.setup) ? entry.setup.lesson : undefined;
    }
    return (await this.#deps.progress.getSetup(labId))?.lesson;
  }

  /**
   * Starts (or joins) `lesson`'s setup on the lab now, and resolves once the lab can be graded for that lesson; rejects
   * with setup-other-lesson or setup-failed when it cannot.
   */
  readyFor(labId: string, lesson: string): Promise<void> {
    const entry = this.#entryFor(labId, lesson);
    return entry.done.then(() => {
      const { setup } = entry;
      // Never grade this lesson on a lab set up for another: its faults are not there, the other lesson's may be.
      const other = otherLesson(setup, lesson);
      if (other !== undefined)
        throw new GraderError('setup-other-lesson', `Lab ${labId} is set up for lesson ${other}; reset it for ${lesson} to grade this challenge.`);
      if (setup.phase === 'failed' || setup.phase === 'unclaimed') throw new GraderError('setup-failed', setup.error || 'setup failed');
    });
  }

  /** Where the lab's setup stands now, if any lesson asked since the lab was created or reset. */
  current(labId: string): Setup | undefined {
    return this.#entries.get(labId)?.setup;
  }

  /** The lab was reset or destroyed: a run in progress stops between steps, and the next request starts afresh. */
  forget(labId: string): void {
    this.#entries.delete(labId);
  }

  /** The lab's setup entry, started for this lesson if there is none (or only one that never claimed the lab). */
  #entryFor(labId: string, lesson: string): SetupEntry {
    const entry = this.#entries.get(labId);
    if (entry && (entry.setup.phase !== 'unclaimed' || entry.setup.lesson === lesson)) return entry;
    return this.#start(labId, lesson);
  }

  #start(labId: string, lesson: string): SetupEntry {
    const entry: SetupEntry = { setup: { phase: 'claiming', lesson }, done: Promise.resolve() };
    entry.done = this.#run(labId, entry).catch((err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      // The entry now answers for the lesson that asked (its page shows the error); unless it was claimed, another
      // lesson may still prepare the lab.
      entry.setup = isClaimed(entry.setup) ? { phase: 'failed', lesson: entry.setup.lesson, error } : { phase: 'unclaimed', lesson: entry.setup.lesson, error };
      this.#deps.changed(labId);
    });
    this.#entries.set(labId, entry);
    return entry;
  }

  async #run(labId: string, entry: SetupEntry): Promise<void> {
    const { progress, exec, clock } = this.#deps;
    const lesson = entry.setup.lesson;
    // The lab is being prepared for a lesson: whatever channel served the lab before starts afresh.
    await this.#deps.channels?.closeLab(labId, `prepared for ${lesson}`);
    const record = await progress.getSetup(labId);
    if (record) {
      entry.setup =
        record.finishedAt === undefined
          ? { phase: 'failed', lesson: record.lesson, error: 'The lab setup was interrupted (the server restarted during it). Reset the lab to start again.' }
          : record.error
            ? { phase: 'failed', lesson: record.lesson, error: record.error }
            : { phase: 'done', lesson: record.lesson };
      this.#deps.changed(labId);
      return;
    }
    const challenge = (await this.#deps.lesson(lesson)).challenge;
    const startedAt = clock.now();
    await progress.setupStarted({ labId, lesson, at: startedAt });
    entry.setup = { phase: 'running', lesson };
    // Pages of other lessons watching this lab learn now, not after a long setup, that it is not theirs.
    this.#deps.changed(labId);
    // A reset meanwhile (forget drops this entry) ends this run between steps, and its outcome is not recorded: the
    // lab's record, if any, belongs to the run the reset started.
    const current = () => this.#entries.get(labId) === entry;
    const onProgress = (line: string) => log.info('artefact', { lab: labId, lesson, detail: line });
    const seed = challenge.setup.length > 0 ? await this.#deps.seeds?.ensure(labId, lesson) : undefined;
    const result =
      challenge.setup.length > 0
        ? await runSetup(exec, labId, challenge, { stillCurrent: current, artefacts: this.#deps.artefacts, onProgress, seed })
        : { ok: true as const, steps: [] };
    if (!current()) {
      entry.setup = { phase: 'failed', lesson, error: 'The lab was reset while it was being prepared; the fresh lab is prepared again.' };
      log.info('setup abandoned: the lab was reset meanwhile', { lab: labId, lesson, stepsRun: result.steps.length });
      return;
    }
    const error = result.ok
      ? undefined
      : `The lab could not be prepared for this lesson (${result.error}). Reset the lab; if it fails again the lesson is broken, please report it.`;
    entry.setup = error === undefined ? { phase: 'done', lesson } : { phase: 'failed', lesson, error };
    await progress.setupFinished({ labId, startedAt, at: clock.now(), error });
    if (result.ok) log.info('setup done', { lab: labId, lesson, steps: result.steps.length });
    else log.error('setup failed', { lab: labId, lesson, error: result.error, stderr: result.steps.at(-1)?.stderr.slice(-2000) });
    this.#deps.changed(labId);
  }
}
