// Runs one script (check, invariant, setup step or solution) on a lab target and turns the result into a Verdict.
// Scripts go through the lab-runner's non-TTY exec with the script on stdin: nothing is copied into the lab.
import type { ExecOptions, ExecResult } from '../runtime/container-runtime.ts';
import { createLogger } from '../../lib/log.ts';
import { SCRIPT_COMMAND, withPreamble } from './check-preamble.ts';
import { errorVerdict, parseVerdict } from './verdict.ts';
import type { Verdict } from './verdict.ts';

const log = createLogger('grader');

/** LabManager.exec, or anything shaped like it (tests, the CLI). */
export type LabExec = (labId: string, target: string, opts: ExecOptions) => Promise<ExecResult>;

export interface ScriptRun {
  labId: string;
  target: string;
  script: string;
  timeoutMs: number;
  /** For logs only: "task pod-netns", "setup[0]". */
  label: string;
  env?: Record<string, string>;
}

export interface ScriptResult {
  verdict: Verdict;
  /** Raw output, for authors (lab verify) and logs; never sent to the learner's page. */
  stdout: string;
  stderr: string;
}

/** Check output is small by contract; cap it so a check printing forever cannot fill memory. */
const MAX_OUTPUT_BYTES = 256 * 1024;
/** exec kills at timeoutMs; this guard only fires if the exec itself never returns (a hung Docker call). */
const GUARD_GRACE_MS = 5_000;

export async function runScript(exec: LabExec, run: ScriptRun): Promise<ScriptResult> {
  const started = Date.now();
  let guard: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      exec(run.labId, run.target, {
        cmd: [...SCRIPT_COMMAND],
        stdin: withPreamble(run.script),
        timeoutMs: run.timeoutMs,
        maxOutputBytes: MAX_OUTPUT_BYTES,
        env: { LANG: 'C.UTF-8', ...run.env },
      }),
      new Promise<never>((_, reject) => {
        guard = setTimeout(
          () => reject(new Error(`no answer from the lab within ${Math.round((run.timeoutMs + GUARD_GRACE_MS) / 1000)} s`)),
          run.timeoutMs + GUARD_GRACE_MS,
        );
      }),
    ]);
    const verdict = parseVerdict(result, run.timeoutMs);
    log.debug('script ran', { lab: run.labId, target: run.target, what: run.label, outcome: verdict.outcome, ms: result.durationMs });
    return { verdict, stdout: result.stdout, stderr: result.stderr };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.warn('script could not run', { lab: run.labId, target: run.target, what: run.label, error: message });
    return { verdict: errorVerdict(`The check could not run on ${run.target}: ${message}`, Date.now() - started), stdout: '', stderr: message };
  } finally {
    clearTimeout(guard);
  }
}
