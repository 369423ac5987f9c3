// `lab verify`: proves a lesson's challenge is honest on a real lab. Provision the lesson's sandbox, run setup,
// assert every task FAILS (checks are not vacuous), run every solution in order (each task must pass right after its
// solution), then re-check everything: every task passes and every invariant holds. Then (unless skipped) every
// near miss must be rejected and every right variant accepted (verify-variants.ts). Always destroy the lab.
import type { Task } from '../../course/challenge/challenge-schema.ts';
import { runScript } from './check-runner.ts';
import type { LabExec, ScriptResult } from './check-runner.ts';
import type { LessonChallenge } from '../../course/challenge/lesson-challenges.ts';
import { runSetup } from './setup-runner.ts';
import { newSeed } from '../practice/setup-seed.ts';
import type { ArtefactSource } from '../artefacts/artefact-store.ts';
import { describeResult as describe, SOLUTION_TIMEOUT_MS, verifyVariants } from './verify-variants.ts';
import type { VariantLabs, VariantVerification } from './verify-variants.ts';

export type StepOutcome = 'ok' | 'failed' | 'skipped';

export interface StepResult {
  outcome: StepOutcome;
  /** Why it failed (what the check printed, the exit code, the error). */
  detail?: string;
  durationMs: number;
}

export interface TaskVerification {
  taskId: string;
  failsBefore: StepResult;
  solution: StepResult;
  passesAfter: StepResult;
  /** "skipped" when the task has no invariants. */
  invariants: StepResult;
  /** The final re-check after every solution ran. */
  finalCheck: StepResult;
}

export interface LessonVerification {
  lesson: string;
  sandbox: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped or what broke outside a task (provisioning, setup). */
  reason?: string;
  labId?: string;
  setup?: StepResult;
  tasks: TaskVerification[];
  /** Every wrong: and right: entry, in task order; absent when they were skipped (--skip-variants). */
  variants?: VariantVerification[];
  durationMs: number;
}

export interface VerifyDeps {
  /** reset (optional) lets the near misses reuse a lab instead of creating one each. */
  labs: VariantLabs;
  /** Decides whether a failure to provision means "this runtime is not available here" (skip) rather than a failure. */
  unavailableReason?: (lesson: LessonChallenge, err: unknown) => string | undefined;
  learnerId?: string;
  onProgress?: (line: string) => void;
  /** Pinned third-party files setup steps declare (DATA_DIR/artefacts). */
  artefacts?: ArtefactSource;
  /** Only the main pass (setup, solutions, invariants): no near misses or variants. */
  skipVariants?: boolean;
  /** Labs working through the near misses and variants at once (default 1: the main lab, reset for each). */
  variantLabs?: number;
  /** Runs on the main lab once every solution ran and every task passed, before the variants reset it. */
  afterSolutions?: (labId: string) => Promise<void>;
}

export async function verifyLesson(lesson: LessonChallenge, deps: VerifyDeps): Promise<LessonVerification> {
  const started = Date.now();
  const base = { lesson: lesson.lesson, sandbox: lesson.sandbox, tasks: [] as TaskVerification[] };
  const say = deps.onProgress ?? (() => {});
  let labId: string | undefined;
  try {
    say(`provisioning ${lesson.sandbox}`);
    try {
      const lab = await deps.labs.create({ template: lesson.sandbox, learnerId: deps.learnerId ?? 'lab-verify', usePool: false });
      labId = lab.id;
    } catch (err) {
      const reason = deps.unavailableReason?.(lesson, err);
      if (reason) return { ...base, outcome: 'skipped', reason, durationMs: Date.now() - started };
      return { ...base, outcome: 'failed', reason: `could not provision ${lesson.sandbox}: ${message(err)}`, durationMs: Date.now() - started };
    }
    const exec: LabExec = deps.labs.exec.bind(deps.labs);
    const id = labId;

    say('running setup');
    const t0 = Date.now();
    // Seeded as the grader seeds every lab's setup (practice/setup-seed.ts), so verification runs what learners get.
    const setup = await runSetup(exec, id, lesson.challenge, { artefacts: deps.artefacts, onProgress: say, seed: newSeed() });
    const setupStep: StepResult = setup.ok
      ? { outcome: 'ok', durationMs: Date.now() - t0 }
      : { outcome: 'failed', detail: setup.error, durationMs: Date.now() - t0 };
    if (!setup.ok) return { ...base, labId: id, outcome: 'failed', reason: 'setup failed', setup: setupStep, tasks: [], durationMs: Date.now() - started };

    const tasks = lesson.challenge.tasks;
    const results = new Map<string, TaskVerification>(
      tasks.map((t) => [
        t.id,
        { taskId: t.id, failsBefore: skipped(), solution: skipped(), passesAfter: skipped(), invariants: skipped(), finalCheck: skipped() },
      ]),
    );

    // 1. Before any solution, every check must fail: a check that passes on a fresh lab grades nothing.
    for (const task of tasks) {
      say(`task ${task.id}: check must fail before its solution`);
      const r = await check(exec, id, task);
      results.get(task.id)!.failsBefore =
        r.run.verdict.outcome === 'failed'
          ? ok(r.ms)
          : fail(r.ms, r.run.verdict.outcome === 'passed' ? 'the check passes on a fresh lab: it does not test the task' : describe(r.run));
    }

    // 2. Solutions in order; each task must pass (with its invariants) right after its own solution.
    for (const task of tasks) {
      const v = results.get(task.id)!;
      say(`task ${task.id}: solution`);
      const s0 = Date.now();
      const sol = await runScript(exec, {
        labId: id,
        target: task.solution.target ?? task.target,
        script: task.solution.script,
        timeoutMs: SOLUTION_TIMEOUT_MS,
        label: `solution ${task.id}`,
      });
      v.solution = sol.verdict.outcome === 'passed' ? ok(Date.now() - s0) : fail(Date.now() - s0, describe(sol));
      const after = await check(exec, id, task);
      v.passesAfter = after.run.verdict.outcome === 'passed' ? ok(after.ms) : fail(after.ms, describe(after.run));
      v.invariants = await invariants(exec, id, task);
    }

    // 3. After all solutions: nothing a later solution did may break an earlier task.
    for (const task of tasks) {
      say(`task ${task.id}: final re-check`);
      const v = results.get(task.id)!;
      const r = await check(exec, id, task);
      const inv = await invariants(exec, id, task);
      v.finalCheck =
        r.run.verdict.outcome !== 'passed'
          ? fail(r.ms, `fails after all solutions ran: ${describe(r.run)}`)
          : inv.outcome === 'failed'
            ? fail(r.ms + inv.durationMs, `invariant broken after all solutions ran: ${inv.detail}`)
            : ok(r.ms + inv.durationMs);
    }

    const list = [...results.values()];
    const mainOk = list.every((t) => [t.failsBefore, t.solution, t.passesAfter, t.invariants, t.finalCheck].every((s) => s.outcome !== 'failed'));
    if (mainOk && deps.afterSolutions) await deps.afterSolutions(id);

    // 4. Near misses must fail and right variants must pass, each from "setup + the solutions before its task".
    const variants = deps.skipVariants
      ? undefined
      : await verifyVariants(lesson.challenge, {
          labs: deps.labs,
          template: lesson.sandbox,
          learnerId: deps.learnerId ?? 'lab-verify',
          mainLabId: id,
          parallel: deps.variantLabs,
          artefacts: deps.artefacts,
          say,
        });
    const allOk = mainOk && (variants ?? []).every((v) => v.outcome === 'ok');
    return { ...base, labId: id, outcome: allOk ? 'passed' : 'failed', setup: setupStep, tasks: list, variants, durationMs: Date.now() - started };
  } catch (err) {
    return { ...base, labId, outcome: 'failed', reason: message(err), durationMs: Date.now() - started };
  } finally {
    if (labId) {
      say('destroying the lab');
      await deps.labs.destroy(labId, 'lab verify finished').catch(() => {});
    }
  }
}

async function check(exec: LabExec, labId: string, task: Task): Promise<{ run: ScriptResult; ms: number }> {
  const t0 = Date.now();
  const run = await runScript(exec, { labId, target: task.target, script: task.check, timeoutMs: task.timeout, label: `task ${task.id}` });
  return { run, ms: Date.now() - t0 };
}

async function invariants(exec: LabExec, labId: string, task: Task): Promise<StepResult> {
  if (task.invariants.length === 0) return skipped();
  const t0 = Date.now();
  for (const inv of task.invariants) {
    const r = await runScript(exec, {
      labId,
      target: inv.target ?? task.target,
      script: inv.check,
      timeoutMs: inv.timeout ?? task.timeout,
      label: `invariant ${task.id}/${inv.id}`,
    });
    if (r.verdict.outcome !== 'passed') return fail(Date.now() - t0, `${inv.id}: ${describe(r)}`);
  }
  return ok(Date.now() - t0);
}

const ok = (durationMs: number): StepResult => ({ outcome: 'ok', durationMs });
const fail = (durationMs: number, detail: string): StepResult => ({ outcome: 'failed', detail, durationMs });
const skipped = (): StepResult => ({ outcome: 'skipped', durationMs: 0 });
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
