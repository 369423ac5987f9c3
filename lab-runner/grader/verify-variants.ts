// The second half of `lab verify`: a challenge must reject plausible wrong answers and accept right ones written
// another way. For every `wrong:` (near miss) and `right:` (variant) entry of every task, bring a lab to the state
// "fresh lab, setup, then the solutions of every task before this one", run the entry's script, then grade the task:
//   - a near miss must make the check or one of its invariants FAIL, with a verdict that names what is wrong;
//   - a variant must make the check and every invariant PASS.
// Each entry gets its own freshly reset lab (a reset replaces the node containers and keeps the networks, which is
// cheaper than create + destroy); entries are spread over a few labs that work through one queue at once.
import type { LabManager } from '../lab/lab-manager.ts';
import type { Challenge, Task, Variant } from '../../course/challenge/challenge-schema.ts';
import { runScript } from './check-runner.ts';
import type { LabExec, ScriptResult } from './check-runner.ts';
import { runSetup } from './setup-runner.ts';
import { newSeed } from '../practice/setup-seed.ts';
import type { ArtefactSource } from '../artefacts/artefact-store.ts';
import type { Verdict } from './verdict.ts';

/** Near-miss and variant scripts build things, like solutions. */
export const DEFAULT_VARIANT_TIMEOUT_MS = 120_000;
export const SOLUTION_TIMEOUT_MS = 120_000;

export type VariantKind = 'wrong' | 'right';

export interface VariantVerification {
  taskId: string;
  kind: VariantKind;
  /** The entry's id, unique within the task's list. */
  id: string;
  title: string;
  /** ok: the near miss was rejected helpfully, or the variant was accepted. */
  outcome: 'ok' | 'failed';
  /** For a rejected near miss: what rejected it ("check: …" or "invariant <id>: …"), as the learner would read it. */
  verdict?: string;
  /** Why the entry failed verification (a near miss that passes, with the check's output; a variant that fails). */
  detail?: string;
  durationMs: number;
  /** Of durationMs, the time spent bringing the lab to the entry's starting state (reset, setup, earlier solutions). */
  prepareMs?: number;
}

/** A lab the variant phase may use: the lesson's main lab (reset, never destroyed here) or one it created. */
export interface VariantLab {
  id: string;
  /** Created by the variant phase, so destroyed by it. */
  own: boolean;
}

export type VariantLabs = Pick<LabManager, 'create' | 'exec' | 'destroy'> & Partial<Pick<LabManager, 'reset'>>;

export interface VariantDeps {
  labs: VariantLabs;
  template: string;
  learnerId: string;
  /** The lab the main pass used; it is reset and reused rather than destroyed and created again. */
  mainLabId: string;
  /** How many labs work through the entries at once (the main lab included). Default 1. */
  parallel?: number;
  say?: (line: string) => void;
  /** Pinned third-party files setup steps declare (DATA_DIR/artefacts), as in the main pass. */
  artefacts?: ArtefactSource;
}

interface Job {
  taskIndex: number;
  task: Task;
  kind: VariantKind;
  entry: Variant;
  order: number;
}

/** Every wrong: and right: entry of the challenge, in task order (wrong before right within a task). */
export function variantJobs(challenge: Challenge): Job[] {
  const jobs: Job[] = [];
  challenge.tasks.forEach((task, taskIndex) => {
    for (const kind of ['wrong', 'right'] as const) for (const entry of task[kind]) jobs.push({ taskIndex, task, kind, entry, order: jobs.length });
  });
  return jobs;
}

export async function verifyVariants(challenge: Challenge, deps: VariantDeps): Promise<VariantVerification[]> {
  const queue = variantJobs(challenge);
  if (queue.length === 0) return [];
  const say = deps.say ?? (() => {});
  const results: { order: number; result: VariantVerification }[] = [];
  const workers = Math.max(1, Math.min(deps.parallel ?? 1, queue.length));
  const exec: LabExec = deps.labs.exec.bind(deps.labs);

  const worker = async (index: number) => {
    // Worker 0 reuses the main lab; the others provision their own when they first need one, each under a learner id
    // of its own (the per-learner lab limit is small).
    let lab: VariantLab | undefined = index === 0 ? { id: deps.mainLabId, own: false } : undefined;
    const learnerId = index === 0 ? deps.learnerId : `${deps.learnerId}-v${index}`;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const t0 = Date.now();
        const base = { taskId: job.task.id, kind: job.kind, id: job.entry.id, title: job.entry.title };
        let fresh = false;
        if (!lab && index > 0) {
          // An extra lab is an optimisation: when none can be had, leave the entry to the main lab's worker.
          try {
            lab = await freshLab(deps, learnerId, undefined);
            fresh = true;
          } catch (err) {
            say(`an extra lab for near misses could not be created (${message(err)}); continuing with fewer`);
            queue.unshift(job);
            return;
          }
        }
        say(`${job.task.id}: ${job.kind === 'wrong' ? 'near miss' : 'variant'} ${job.entry.id}`);
        try {
          if (!fresh) lab = await freshLab(deps, learnerId, lab);
          const ready = await prepare(exec, lab!.id, challenge, job.taskIndex, deps.artefacts);
          const prepareMs = Date.now() - t0;
          const outcome = ready.ok ? await judge(exec, lab!.id, job) : { outcome: 'failed' as const, detail: ready.error };
          results.push({ order: job.order, result: { ...base, ...outcome, durationMs: Date.now() - t0, prepareMs } });
        } catch (err) {
          results.push({
            order: job.order,
            result: { ...base, outcome: 'failed', detail: `could not prepare a lab: ${message(err)}`, durationMs: Date.now() - t0 },
          });
        }
      }
    } finally {
      if (lab?.own) await deps.labs.destroy(lab.id, 'lab verify finished').catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));
  // An extra worker that could not get a lab hands its entry back; if the main lab's worker had already finished, run it.
  if (queue.length > 0) await worker(0);
  return results.sort((a, b) => a.order - b.order).map((r) => r.result);
}

/** A lab in its just-provisioned state: reset the one we have, or create one (runtimes without reset: replace it). */
async function freshLab(deps: VariantDeps, learnerId: string, lab: VariantLab | undefined): Promise<VariantLab> {
  const create = async (): Promise<VariantLab> => ({ id: (await deps.labs.create({ template: deps.template, learnerId, usePool: false })).id, own: true });
  if (!lab) return create();
  if (deps.labs.reset) {
    try {
      await deps.labs.reset(lab.id);
      return lab;
    } catch (err) {
      if ((err as { code?: string }).code !== 'unsupported') throw err;
    }
  }
  if (lab.own) await deps.labs.destroy(lab.id, 'lab verify: a fresh lab for the next entry');
  return create();
}

/** Setup, then the solutions of every task before `taskIndex`, in challenge order. */
async function prepare(
  exec: LabExec,
  labId: string,
  challenge: Challenge,
  taskIndex: number,
  artefacts?: ArtefactSource,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const setup = await runSetup(exec, labId, challenge, { artefacts, seed: newSeed() }); // seeded, as the grader runs setups
  if (!setup.ok) return { ok: false, error: `setup failed: ${setup.error}` };
  for (const task of challenge.tasks.slice(0, taskIndex)) {
    const r = await runScript(exec, {
      labId,
      target: task.solution.target ?? task.target,
      script: task.solution.script,
      timeoutMs: SOLUTION_TIMEOUT_MS,
      label: `solution ${task.id}`,
    });
    if (r.verdict.outcome !== 'passed') return { ok: false, error: `the solution of the earlier task ${task.id} failed: ${describeResult(r)}` };
  }
  return { ok: true };
}

type Judgement = Pick<VariantVerification, 'outcome' | 'verdict' | 'detail'>;

async function judge(exec: LabExec, labId: string, job: Job): Promise<Judgement> {
  const { task, kind, entry } = job;
  const what = kind === 'wrong' ? 'near-miss' : 'variant';
  const script = await runScript(exec, {
    labId,
    target: entry.target ?? task.target,
    script: entry.script,
    timeoutMs: entry.timeout ?? DEFAULT_VARIANT_TIMEOUT_MS,
    label: `${kind} ${task.id}/${entry.id}`,
  });
  // A script that breaks half-way proves nothing either way: the check would judge a state nobody meant.
  if (script.verdict.outcome !== 'passed') return { outcome: 'failed', detail: `the ${what} script itself failed: ${describeResult(script)}` };

  const check = await runScript(exec, { labId, target: task.target, script: task.check, timeoutMs: task.timeout, label: `task ${task.id}` });
  if (kind === 'right') {
    if (check.verdict.outcome !== 'passed') return { outcome: 'failed', detail: `the check rejects this right answer: ${describeResult(check)}` };
    for (const inv of task.invariants) {
      const r = await runInvariant(exec, labId, task, inv);
      if (r.verdict.outcome !== 'passed') return { outcome: 'failed', detail: `invariant ${inv.id} rejects this right answer: ${describeResult(r)}` };
    }
    return { outcome: 'ok' };
  }

  if (check.verdict.outcome !== 'passed') return rejected('check', check.verdict);
  for (const inv of task.invariants) {
    const r = await runInvariant(exec, labId, task, inv);
    if (r.verdict.outcome !== 'passed') return rejected(`invariant ${inv.id}`, r.verdict);
  }
  const output = [check.stdout.trim(), check.stderr.trim()].filter(Boolean).join(' | ').slice(0, 400);
  return {
    outcome: 'failed',
    detail: `the near miss PASSES: the check passed${task.invariants.length ? ' and every invariant held' : ''}${output ? `; check output: ${output}` : ' (the check printed nothing)'}`,
  };
}

function runInvariant(exec: LabExec, labId: string, task: Task, inv: Task['invariants'][number]): Promise<ScriptResult> {
  return runScript(exec, {
    labId,
    target: inv.target ?? task.target,
    script: inv.check,
    timeoutMs: inv.timeout ?? task.timeout,
    label: `invariant ${task.id}/${inv.id}`,
  });
}

/** A near miss counts as rejected only when the learner would be told what is wrong. */
function rejected(by: string, v: Verdict): Judgement {
  if (v.outcome === 'timeout' || v.outcome === 'error')
    return { outcome: 'failed', detail: `${by} did not judge the near miss (${v.summary}): a near miss must get a verdict that names what is wrong` };
  if (!isHelpful(v))
    return {
      outcome: 'failed',
      detail: `${by} rejects the near miss but says nothing about what is wrong ("${v.summary}"): print a FAIL: line or an observed/expected verdict`,
    };
  return { outcome: 'ok', verdict: `${by}: ${v.summary}` };
}

const BARE = /^(failed|fail|error|no|not ok|not done yet\.?|wrong)$/i;

/** A failed verdict that names something: a FAIL: line or an observed/expected pair that says more than "failed". */
export function isHelpful(v: Verdict): boolean {
  if (v.outcome !== 'failed') return false;
  const said = [...v.failLines, v.structured?.observed, v.structured?.expected].filter((s): s is string => !!s && s.trim().length > 0);
  return said.some((s) => !BARE.test(s.trim()));
}

/** One line for a report: the verdict's summary, the exit code and the tail of stderr. */
export function describeResult(r: ScriptResult): string {
  const v = r.verdict;
  if (v.outcome === 'timeout' || v.outcome === 'error') return v.summary;
  const stderr = r.stderr.trim().split('\n').slice(-3).join(' | ');
  return `${v.summary} (exit ${v.exitCode})${stderr ? ` stderr: ${stderr.slice(0, 400)}` : ''}`;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
