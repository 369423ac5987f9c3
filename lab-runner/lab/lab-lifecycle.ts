// Reset and stop of a learner's lab, in one place: which parts of the platform are told, and in what order.
// Terminals, the lab runner and the grader each also react to the lab events these steps emit ('reset', 'destroyed');
// the explicit calls here are what the learner waits for, so the answer only comes once every part has let go.
//   const fresh = await platform.lifecycle.reset(lab, { lesson });   // POST /api/labs/:labId/reset
//   await platform.lifecycle.stop(labId);                            // DELETE /api/labs/:labId
import { LabRunnerError } from '../errors.ts';
import type { Lab, LabState } from './lab.ts';
import type { LabManager } from './lab-manager.ts';

/** What the lifecycle needs of the lab runner, the terminal gateway and the grader (fakes in tests). */
export interface LabLifecycleDeps {
  labs: Pick<LabManager, 'reset' | 'destroy' | 'create'>;
  terminals: { endLab(labId: string): void };
  grader: {
    /** Forget the lab's sessions and setup; archive its passes (the fresh lab is graded from scratch). */
    labReset(labId: string): Promise<void>;
    prepareLab(labId: string, lesson: string): Promise<unknown>;
  };
}

export interface ResetOptions {
  /** The lesson whose challenge setup runs on the fresh lab before reset resolves (break-fix faults in place). */
  lesson?: string;
}

/** Reset is refused in these states: the lab is still being built. */
export class LabResetRefusedError extends LabRunnerError {
  override name = 'LabResetRefusedError';
  readonly labId: string;
  readonly state: LabState;
  constructor(labId: string, state: LabState) {
    super('lab-state', 'The lab is still starting; reset it once it is ready.');
    this.labId = labId;
    this.state = state;
  }
}

export class LabLifecycle {
  readonly #deps: LabLifecycleDeps;

  constructor(deps: LabLifecycleDeps) {
    this.#deps = deps;
  }

  /**
   * Fresh nodes for the same lab. Order:
   *   1. close the lab's terminals (their shells live in the containers being replaced);
   *   2. replace the lab: reset in place, or, for a failed lab or a runtime that cannot reset, destroy it and create a
   *      new one of the same sandbox (another id);
   *   3. tell the grader (only now: a page reconnecting earlier would start setup on the old nodes): it drops the
   *      lab's sessions and setup, so the lesson's setup runs again and grading starts from scratch;
   *   4. run `lesson`'s setup on the fresh lab. A failed setup does not fail the reset: the Challenge panel reports it.
   * Resolves with the lab the learner now has.
   */
  async reset(lab: Lab, options: ResetOptions = {}): Promise<Lab> {
    if (lab.state === 'pending') throw new LabResetRefusedError(lab.id, lab.state);
    const { terminals, grader } = this.#deps;
    terminals.endLab(lab.id);
    const fresh = await this.#replace(lab);
    if (options.lesson !== undefined) await grader.prepareLab(fresh.id, options.lesson).catch(() => undefined);
    return fresh;
  }

  /**
   * Ends the lab's terminals, then destroys the lab. The grader closes the lab's check channels on the 'destroyed'
   * event; its sessions are not dropped here (they stop checking a destroyed lab and are swept once unwatched).
   */
  async stop(labId: string): Promise<void> {
    this.#deps.terminals.endLab(labId);
    await this.#deps.labs.destroy(labId, 'stopped by the learner');
  }

  async #replace(lab: Lab): Promise<Lab> {
    const { labs, grader } = this.#deps;
    if (lab.state === 'failed') return this.#recreate(lab, 'reset after failure');
    let fresh: Lab;
    try {
      fresh = await labs.reset(lab.id);
    } catch (err) {
      if ((err as { code?: string }).code !== 'unsupported') throw err;
      return this.#recreate(lab, 'reset by the learner');
    }
    await grader.labReset(lab.id);
    return fresh;
  }

  async #recreate(lab: Lab, reason: string): Promise<Lab> {
    const { labs, grader } = this.#deps;
    await labs.destroy(lab.id, reason);
    await grader.labReset(lab.id);
    return labs.create({ template: lab.template, learnerId: lab.learnerId });
  }
}
