// Runs a template's setup commands once every node is ready: in order; a step on "all" runs on every node at once.
// Scripts go over stdin (never written into the lab) and run with bash -e, so the first failing command fails the step.
import { ProvisionError } from '../errors.ts';
import type { LabTarget } from '../lab/lab.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

export interface SetupStep {
  target: string;
  script: string;
  timeout: number;
}

export async function runSetupSteps(runtime: ContainerRuntime, steps: SetupStep[], targets: LabTarget[], signal?: AbortSignal): Promise<void> {
  for (const [index, step] of steps.entries()) {
    signal?.throwIfAborted();
    const on = step.target === 'all' ? targets : targets.filter((t) => t.name === step.target);
    await Promise.all(
      on.map(async (t) => {
        const r = await runtime.exec(t.containerId, { cmd: ['bash', '-e', '-s'], stdin: step.script, timeoutMs: step.timeout });
        if (r.exitCode !== 0) {
          const why = r.timedOut ? `timed out after ${step.timeout} ms` : `exited with ${r.exitCode}`;
          throw new ProvisionError(`setup ${index + 1} on ${t.name}`, `setup step ${index + 1} ${why}`, (r.stdout + r.stderr).slice(-2000));
        }
      }),
    );
  }
}
