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
        const where = `setup ${index + 1} on ${t.name}`;
        let r;
        try {
          r = await runtime.exec(t.containerId, { cmd: ['bash', '-e', '-s'], stdin: step.script, timeoutMs: step.timeout });
        } catch (err) {
          throw new ProvisionError(where, `setup step ${index + 1} could not run${await stoppedReason(runtime, t)}: ${(err as Error).message}`, undefined, err);
        }
        if (r.exitCode !== 0) {
          const why = r.timedOut ? `timed out after ${step.timeout} ms` : `exited with ${r.exitCode}${await stoppedReason(runtime, t)}`;
          throw new ProvisionError(where, `setup step ${index + 1} ${why}`, (r.stdout + r.stderr).slice(-2000));
        }
      }),
    );
  }
}

async function stoppedReason(runtime: ContainerRuntime, t: LabTarget): Promise<string> {
  const info = await runtime.inspectContainer(t.containerId).catch(() => undefined);
  if (info?.state === 'running') return '';
  return ` because ${t.name} stopped (${info ? `exit code ${info.exitCode}${info.oomKilled ? ', out of memory' : ''}` : 'container gone'})`;
}
