// "Rewind to before this task": rebuild the lab to the state the learner had when that task began. A fresh lab (reset
// in place, or a new lab when the runtime cannot reset or the lab is gone), the lesson's setup replayed with the seed it
// first ran with (same faults, practice/setup-seed.ts), then the solutions of the tasks the learner had passed before it,
// in challenge order. Recorded completions stay: the grader's labReset archives the lab's passes into the history, and
// the replayed tasks pass again on the next round.
import { LabNotFoundError, LabRunnerError } from '../errors.ts';
import type { Challenge } from '../../course/challenge/challenge-schema.ts';
import { runScript } from '../grader/check-runner.ts';
import type { LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import type { SetupOutcome } from '../grader/grader.ts';
import type { Lab, ReadyLab } from '../lab/lab.ts';
import type { CreateLabRequest, LabManager } from '../lab/lab-manager.ts';
import type { ProgressStore } from '../store/progress-store.ts';
import type { RewindView } from '../wire/practice.ts';
import { newSeed, type SetupSeeds } from './setup-seed.ts';

/** How long one replayed solution may run (lab verify's default for a script). */
export const REPLAY_TIMEOUT_MS = 120_000;

export interface ReplayStep {
  taskId: string;
  target: string;
  script: string;
}

/** What a rewind does, decided before anything runs. */
export interface RewindPlan {
  /** The task rewound to: the lab ends up as it was just before it. Undefined: every task had passed (all replayed). */
  taskId?: string;
  /** The setup replays this seed. */
  seed: string;
  /** Solutions replayed after setup, in challenge order: the tasks before `taskId` that the learner had passed. */
  replay: ReplayStep[];
}

/**
 * Pure: the plan for rewinding `challenge` to just before `taskId`, given the tasks the learner had passed. Tasks after
 * it, and tasks before it the learner never passed, are not replayed (the learner had not done them). Without a task:
 * "where the learner was", just before the first task not passed (after the last task when every one passed).
 */
export function rewindPlan(challenge: Challenge, taskId: string | undefined, passed: ReadonlySet<string>, seed: string): RewindPlan {
  if (taskId === undefined) {
    const next = challenge.tasks.find((t) => !passed.has(t.id));
    if (next) return rewindPlan(challenge, next.id, passed, seed);
    return { seed, replay: challenge.tasks.map((t) => ({ taskId: t.id, target: t.solution.target ?? t.target, script: t.solution.script })) };
  }
  const index = challenge.tasks.findIndex((t) => t.id === taskId);
  if (index < 0) throw new LabRunnerError('bad-request', `This challenge has no task "${taskId}" (tasks: ${challenge.tasks.map((t) => t.id).join(', ')}).`);
  const replay = challenge.tasks
    .slice(0, index)
    .filter((t) => passed.has(t.id))
    .map((t) => ({ taskId: t.id, target: t.solution.target ?? t.target, script: t.solution.script }));
  return { taskId, seed, replay };
}

export interface RewindDeps {
  labs: Pick<LabManager, 'get' | 'reset' | 'destroy' | 'create' | 'exec'>;
  grader: { labReset(labId: string): Promise<void>; prepareLab(labId: string, lesson: string): Promise<SetupOutcome> };
  progress: Pick<ProgressStore, 'lessonProgress'>;
  seeds: Pick<SetupSeeds, 'get' | 'set'>;
  lessons: LessonChallengeSource;
  /** Ends the lab's terminals (their shells live in the containers being replaced). */
  endTerminals?: (labId: string) => void;
}

export interface RewindRequest {
  learnerId: string;
  lesson: string;
  /** Rewind to just before this task; omitted: to where the learner was (before the first task not passed). */
  taskId?: string;
  /** The lab to rebuild: live (reset in place) or gone (expired, idle, stopped: a new lab is started). */
  labId: string;
  clientKey?: string;
}

export class RewindService {
  readonly #d: RewindDeps;
  constructor(deps: RewindDeps) {
    this.#d = deps;
  }

  /** The plan a rewind would follow now (for tests and the page's confirmation). */
  async plan(req: RewindRequest): Promise<{ plan: RewindPlan; lab: Lab; challenge: Challenge }> {
    const { labs, lessons, progress, seeds } = this.#d;
    const lesson = await lessons.get(req.lesson);
    if (!lesson) throw new LabRunnerError('bad-request', `No lesson "${req.lesson}" with a challenge.`);
    const lab = await labs.get(req.labId);
    if (!lab || lab.learnerId !== req.learnerId) throw new LabNotFoundError(req.labId);
    if (lab.template !== lesson.sandbox && lab.template !== lesson.kindSandbox)
      throw new LabRunnerError('bad-request', `Lab ${lab.id} runs ${lab.template}; lesson ${req.lesson} needs ${lesson.sandbox}.`);
    const stored = await seeds.get(req.labId);
    const seed = stored && stored.lesson === req.lesson ? stored.seed : newSeed();
    const passed = new Set((await progress.lessonProgress(req.learnerId, req.lesson)).tasks.filter((t) => t.passedAt !== undefined).map((t) => t.taskId));
    return { plan: rewindPlan(lesson.challenge, req.taskId, passed, seed), lab, challenge: lesson.challenge };
  }

  async rewind(req: RewindRequest): Promise<RewindView> {
    const { plan, lab } = await this.plan(req);
    if (lab.state === 'pending') throw new LabRunnerError('lab-state', 'The lab is still starting; rewind once it is ready.');
    const { labs, grader, seeds } = this.#d;
    this.#d.endTerminals?.(lab.id);
    const fresh = await this.#freshLab(lab, req);
    await grader.labReset(fresh.id); // forget the old nodes' grading and setup; passes move to the history
    await seeds.set(fresh.id, req.lesson, plan.seed);
    const setup = await grader.prepareLab(fresh.id, req.lesson);
    if (setup.status !== 'done')
      throw new LabRunnerError('provision-failed', `The lesson's setup did not run again on the fresh lab: ${setup.error ?? setup.status}.`);
    for (const step of plan.replay) {
      const r = await runScript(labs.exec.bind(labs), {
        labId: fresh.id,
        target: step.target,
        script: step.script,
        timeoutMs: REPLAY_TIMEOUT_MS,
        label: `rewind: solution of ${step.taskId}`,
      });
      if (r.verdict.outcome !== 'passed') {
        const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
        throw new LabRunnerError(
          'provision-failed',
          `Replaying the solution of "${step.taskId}" failed (${r.verdict.summary}${tail ? `: ${tail}` : ''}); reset the lab instead.`,
        );
      }
    }
    return {
      labId: fresh.id,
      lesson: req.lesson,
      ...(plan.taskId ? { taskId: plan.taskId } : {}),
      replayed: plan.replay.map((s) => s.taskId),
      seed: plan.seed,
    };
  }

  async #freshLab(lab: Lab, req: RewindRequest): Promise<ReadyLab> {
    const { labs } = this.#d;
    const create = () => {
      const request: CreateLabRequest = {
        template: lab.template,
        learnerId: req.learnerId,
        usePool: true,
        ...(req.clientKey ? { clientKey: req.clientKey } : {}),
      };
      return labs.create(request);
    };
    if (lab.state === 'destroyed') return create();
    if (lab.state === 'failed') {
      await labs.destroy(lab.id, 'rewound after failure');
      return create();
    }
    try {
      return await labs.reset(lab.id);
    } catch (err) {
      if ((err as { code?: string }).code !== 'unsupported') throw err;
      await labs.destroy(lab.id, 'rewound by the learner');
      return create();
    }
  }
}
