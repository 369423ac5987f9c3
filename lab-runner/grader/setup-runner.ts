// Runs a challenge's hidden setup steps, in order, right after a lab is created and before the learner uses it.
// Break-fix faults are planted here. A failing step stops the run: a half-set-up lab would grade nonsense.
import type { Challenge } from './challenge-schema.ts';
import { runScript } from './check-runner.ts';
import type { LabExec, ScriptResult } from './check-runner.ts';

export const DEFAULT_SETUP_TIMEOUT_MS = 60_000;

export interface SetupStepResult extends ScriptResult {
  index: number;
  target: string;
}

export interface SetupResult {
  ok: boolean;
  steps: SetupStepResult[];
  /** For the learner and the log: which step failed and how. */
  error?: string;
}

export async function runSetup(exec: LabExec, labId: string, challenge: Challenge): Promise<SetupResult> {
  const steps: SetupStepResult[] = [];
  for (const [index, step] of challenge.setup.entries()) {
    const result = await runScript(exec, {
      labId,
      target: step.target,
      // A setup step that half-fails leaves a lab nobody can grade: stop at the first failing command.
      script: `set -e\n${step.script}`,
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
