// `lab verify exams`: proves every task an exam can draw, on a real lab, in the state an attempt gives it: the lesson's
// sandbox, its setup with a fresh seed (as an attempt draws one), the solutions of the tasks before it; then the task's
// check must FAIL, its solution must succeed, and its check and every invariant must PASS. A task two exams share is
// proven once. The report has the shape of `lab verify`'s, one entry per drawable task.
import type { ArtefactSource } from '../artefacts/artefact-store.ts';
import { runScript } from '../grader/check-runner.ts';
import type { LabExec } from '../grader/check-runner.ts';
import type { LessonChallenge, LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import { runSetup } from '../grader/setup-runner.ts';
import { describeResult, SOLUTION_TIMEOUT_MS } from '../grader/verify-variants.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { LoadedExam } from '../../course/exam/exam-loader.ts';
import { REPLAY_TIMEOUT_MS, rewindPlan } from './rewind.ts';
import { newSeed } from './setup-seed.ts';

export interface ExamItemVerification {
  /** "exam:<slug> <lesson>#<task>" (the first exam listing it). */
  lesson: string;
  outcome: 'passed' | 'failed';
  reason?: string;
  seed: string;
  tasks: { taskId: string; failsBefore: Step; solution: Step; passesAfter: Step }[];
  durationMs: number;
}
type Step = { outcome: 'ok' | 'failed' | 'skipped'; detail?: string };

export interface VerifyExamsDeps {
  labs: Pick<LabManager, 'create' | 'destroy' | 'exec'>;
  lessons: LessonChallengeSource;
  artefacts?: ArtefactSource;
  learnerId: string;
  onProgress?: (line: string) => void;
}

/** Every distinct drawable task of these exams, in exam and pool order. */
export function drawableTasks(exams: LoadedExam[]): { exam: string; lesson: string; task: string }[] {
  const seen = new Set<string>();
  const out: { exam: string; lesson: string; task: string }[] = [];
  for (const e of exams)
    for (const p of e.exam.pools)
      for (const t of p.tasks) {
        const key = `${t.lesson}#${t.task}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ exam: e.slug, lesson: t.lesson, task: t.task });
      }
  return out;
}

export async function verifyExamItem(item: { exam: string; lesson: string; task: string }, deps: VerifyExamsDeps): Promise<ExamItemVerification> {
  const started = Date.now();
  const name = `exam:${item.exam} ${item.lesson}#${item.task}`;
  const seed = newSeed();
  const skipped: Step = { outcome: 'skipped' };
  const result = (outcome: 'passed' | 'failed', steps: { failsBefore?: Step; solution?: Step; passesAfter?: Step }, reason?: string): ExamItemVerification => ({
    lesson: name,
    outcome,
    ...(reason ? { reason } : {}),
    seed,
    tasks: [{ taskId: item.task, failsBefore: steps.failsBefore ?? skipped, solution: steps.solution ?? skipped, passesAfter: steps.passesAfter ?? skipped }],
    durationMs: Date.now() - started,
  });
  const lesson: LessonChallenge | undefined = await deps.lessons.get(item.lesson);
  const task = lesson?.challenge.tasks.find((t) => t.id === item.task);
  if (!lesson || !task) return result('failed', {}, `no task ${item.task} in lesson ${item.lesson}`);
  let labId: string | undefined;
  try {
    const lab = await deps.labs.create({ template: lesson.sandbox, learnerId: deps.learnerId });
    labId = lab.id;
    const exec: LabExec = deps.labs.exec.bind(deps.labs);
    deps.onProgress?.(`${name}: setup (seed ${seed})`);
    const setup = await runSetup(exec, lab.id, lesson.challenge, { seed, artefacts: deps.artefacts });
    if (!setup.ok) return result('failed', {}, `setup: ${setup.error}`);
    const all = new Set(lesson.challenge.tasks.map((t) => t.id));
    for (const step of rewindPlan(lesson.challenge, item.task, all, seed).replay) {
      const r = await runScript(exec, {
        labId: lab.id,
        target: step.target,
        script: step.script,
        timeoutMs: REPLAY_TIMEOUT_MS,
        label: `solution of ${step.taskId}`,
      });
      if (r.verdict.outcome !== 'passed') return result('failed', {}, `the solution of ${step.taskId} (before ${item.task}) failed: ${describeResult(r)}`);
    }
    const check = () =>
      runScript(exec, {
        labId: lab.id,
        target: task.target,
        script: task.check,
        timeoutMs: task.timeout,
        label: `check ${task.id}`,
        env: { PW_TASK_ID: task.id },
      });
    const before = await check();
    const failsBefore: Step =
      before.verdict.outcome === 'failed'
        ? { outcome: 'ok' }
        : {
            outcome: 'failed',
            detail: before.verdict.outcome === 'passed' ? 'the check passes before its solution: the drawn task would be free' : describeResult(before),
          };
    deps.onProgress?.(`${name}: solution`);
    const sol = await runScript(exec, {
      labId: lab.id,
      target: task.solution.target ?? task.target,
      script: task.solution.script,
      timeoutMs: SOLUTION_TIMEOUT_MS,
      label: `solution ${task.id}`,
    });
    const solution: Step = sol.verdict.outcome === 'passed' ? { outcome: 'ok' } : { outcome: 'failed', detail: describeResult(sol) };
    const after = await check();
    let passesAfter: Step = after.verdict.outcome === 'passed' ? { outcome: 'ok' } : { outcome: 'failed', detail: describeResult(after) };
    if (passesAfter.outcome === 'ok')
      for (const inv of task.invariants) {
        const r = await runScript(exec, {
          labId: lab.id,
          target: inv.target ?? task.target,
          script: inv.check,
          timeoutMs: inv.timeout ?? task.timeout,
          label: `invariant ${inv.id}`,
          env: { PW_TASK_ID: task.id },
        });
        if (r.verdict.outcome !== 'passed') {
          passesAfter = { outcome: 'failed', detail: `invariant ${inv.id}: ${describeResult(r)}` };
          break;
        }
      }
    const ok = failsBefore.outcome === 'ok' && solution.outcome === 'ok' && passesAfter.outcome === 'ok';
    return result(ok ? 'passed' : 'failed', { failsBefore, solution, passesAfter });
  } catch (err) {
    return result('failed', {}, err instanceof Error ? err.message : String(err));
  } finally {
    if (labId) await deps.labs.destroy(labId, 'exam verification done').catch(() => {});
  }
}

export function formatExamItem(r: ExamItemVerification): string {
  const t = r.tasks[0]!;
  const mark = (s: Step) => (s.outcome === 'ok' ? 'ok' : s.outcome === 'skipped' ? '-' : 'FAILED');
  const lines = [
    `${r.outcome === 'passed' ? '✓' : '✗'} ${r.lesson}  (seed ${r.seed}, ${(r.durationMs / 1000).toFixed(1)} s)  fails before: ${mark(t.failsBefore)}, solution: ${mark(t.solution)}, passes after: ${mark(t.passesAfter)}`,
  ];
  if (r.reason) lines.push(`    ${r.reason}`);
  for (const [what, s] of Object.entries({ 'fails before': t.failsBefore, solution: t.solution, 'passes after': t.passesAfter }))
    if (s.detail) lines.push(`    ${what}: ${s.detail}`);
  return lines.join('\n');
}
