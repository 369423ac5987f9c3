// Runs a challenge's hidden setup steps, in order, right after a lab is created and before the learner uses it.
// Break-fix faults are planted here. A failing step stops the run: a half-set-up lab would grade nonsense.
import type { ArtefactProgress, ArtefactSource } from '../artefacts/artefact-store.ts';
import { installArtefacts } from '../artefacts/install-artefacts.ts';
import type { Challenge } from '../../course/challenge/challenge-schema.ts';
import { runScript } from './check-runner.ts';
import type { LabExec, ScriptResult } from './check-runner.ts';
import { errorVerdict } from './verdict.ts';
import { seedPrelude } from '../practice/setup-seed.ts';

export const DEFAULT_SETUP_TIMEOUT_MS = 60_000;

export interface SetupStepResult extends ScriptResult {
  index: number;
  target: string;
}

/**
 * How a setup run ended. Failed and abandoned runs always say why; a run that went through has nothing to explain.
 * (`error?: undefined` on success lets callers read `r.error` without narrowing first.)
 */
export type SetupResult =
  | { ok: true; steps: SetupStepResult[]; error?: undefined; abandoned?: undefined }
  /** For the learner and the log: which step failed and how. */
  | { ok: false; steps: SetupStepResult[]; error: string; abandoned?: undefined }
  /** Stopped between steps because the lab was reset meanwhile (see runSetup). */
  | { ok: false; steps: SetupStepResult[]; error: string; abandoned: true };

/**
 * `stillCurrent` is asked before each step: a lab reset while its setup runs gets fresh nodes (same lab id, same target
 * names), and the rest of the old run must not plant its faults on them next to the new run's.
 */
export interface SetupOptions {
  /** Asked before each step (see above). */
  stillCurrent?: () => boolean;
  /** Where steps' declared artefacts come from (DATA_DIR/artefacts); a step that declares one fails without it. */
  artefacts?: ArtefactSource;
  onProgress?: ArtefactProgress;
  /** Replays a random draw: $RANDOM and shuf follow this seed (practice/setup-seed.ts). */
  seed?: string;
}

export async function runSetup(exec: LabExec, labId: string, challenge: Challenge, options: SetupOptions | (() => boolean) = {}): Promise<SetupResult> {
  const o: SetupOptions = typeof options === 'function' ? { stillCurrent: options } : options;
  const stillCurrent = o.stillCurrent ?? (() => true);
  const steps: SetupStepResult[] = [];
  for (const [index, step] of challenge.setup.entries()) {
    if (!stillCurrent()) return { ok: false, steps, abandoned: true, error: 'the lab was reset while it was being prepared' };
    if (step.artefacts.length > 0) {
      const started = Date.now();
      try {
        if (!o.artefacts) throw new Error(`it needs ${step.artefacts.join(', ')}, and this runner was given no artefact store`);
        await installArtefacts(exec, labId, step.target, step.artefacts, o.artefacts, o.onProgress);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        steps.push({ verdict: errorVerdict(message, Date.now() - started), stdout: '', stderr: message, index, target: step.target });
        return { ok: false, steps, error: `setup step ${index + 1} on ${step.target} could not get its artefacts: ${message}` };
      }
    }
    const result = await runScript(exec, {
      labId,
      target: step.target,
      // A setup step that half-fails leaves a lab nobody can grade: stop at the first failing command.
      script: `set -e\n${o.seed ? `${seedPrelude(o.seed, index)}\n` : ''}${step.script}`,
      timeoutMs: step.timeout ?? DEFAULT_SETUP_TIMEOUT_MS,
      label: `setup[${index}]`,
    });
    steps.push({ ...result, index, target: step.target });
    if (result.verdict.outcome !== 'passed') {
      const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
      return {
        ok: false,
        steps,
        error: `setup step ${index + 1} on ${step.target} ${result.verdict.outcome === 'timeout' ? 'timed out' : result.verdict.outcome === 'error' ? 'could not run' : `exited ${result.verdict.exitCode}`}${tail ? `: ${tail}` : ''}`,
      };
    }
  }
  return { ok: true, steps };
}
