// Exam mode: an attempt draws tasks from an exam's pools (seeded), provisions one lab per task in the state "lesson
// setup (replaying the task's seed), then the solutions of the tasks before it", runs one timer, and on submit or time
// out grades every task once with the task's own check and invariants. Labs belong to per-task pseudo-learners
// ("exam-<attempt>-<n>") so an attempt is not limited by LAB_MAX_PER_LEARNER and its passes never count as lesson
// progress; the attempt's owner reaches them through the attempt (its ticket route), never through /api/labs.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../lib/log.ts';
import { LabRunnerError } from '../errors.ts';
import { renderChallengeMarkdown } from '../grader/challenge-markdown.ts';
import type { Task } from '../../course/challenge/challenge-schema.ts';
import { runScript } from '../grader/check-runner.ts';
import type { SetupOutcome } from '../grader/grader.ts';
import type { LessonChallenge, LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { ExamAttemptSummaryView, ExamAttemptView, ExamSummaryView, ExamTaskView } from '../wire/practice.ts';
import { drawExam } from './exam-draw.ts';
import { loadExams, type LoadedExam } from '../../course/exam/exam-loader.ts';
import { gradeTask, scoreAttempt, type TaskGrade } from './exam-scoring.ts';
import type { AttemptTask, ExamAttempt, ExamStore } from './exam-store.ts';
import { REPLAY_TIMEOUT_MS, rewindPlan } from './rewind.ts';
import { newSeed, type SetupSeeds } from './setup-seed.ts';

const log = createLogger('exam');

export interface ExamServiceDeps {
  labs: Pick<LabManager, 'create' | 'destroy' | 'get' | 'exec'> & Partial<Pick<LabManager, 'touch'>>;
  grader: { prepareLab(labId: string, lesson: string): Promise<SetupOutcome> };
  seeds: Pick<SetupSeeds, 'set'>;
  lessons: LessonChallengeSource;
  /** Where exams come from (default: loadExams over the content directory). */
  exams: () => LoadedExam[];
  store: ExamStore;
  terminals: { issueTicket(claims: { learner: string; lab: string; target: string }): { ticket: string; expiresAt: number }; readonly path: string };
  clock?: () => number;
}

export function contentExams(contentDir: string): () => LoadedExam[] {
  return () => loadExams(contentDir).exams;
}

const notFound = (id: string) => new LabRunnerError('lab-not-found', `No exam attempt ${id} for you.`);

export class ExamService {
  readonly #d: ExamServiceDeps;
  readonly #grading = new Map<string, Promise<ExamAttempt>>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** When each running attempt's labs were last marked active (see #keepAlive). */
  readonly #touched = new Map<string, number>();

  constructor(deps: ExamServiceDeps) {
    this.#d = deps;
  }

  #now(): number {
    return this.#d.clock?.() ?? Date.now();
  }

  list(): ExamSummaryView[] {
    return this.#d.exams().map(({ slug, exam }) => ({
      slug,
      title: exam.title,
      ...(exam.description ? { description: exam.description } : {}),
      minutes: exam.minutes,
      tasks: exam.pools.reduce((n, p) => n + p.count, 0),
    }));
  }

  attempts(learnerId: string): ExamAttemptSummaryView[] {
    return this.#d.store
      .listByLearner(learnerId)
      .map((a) => ({ id: a.id, exam: a.exam, state: a.state, startedAt: a.startedAt, total: a.total, ...(a.score !== undefined ? { score: a.score } : {}) }));
  }

  /** Draws, provisions every task's lab, then starts the clock. Labs made before a failure are destroyed. */
  async start(req: { learnerId: string; exam: string; clientKey?: string; seed?: string }): Promise<ExamAttemptView> {
    const loaded = this.#d.exams().find((e) => e.slug === req.exam);
    if (!loaded)
      throw new LabRunnerError(
        'bad-request',
        `No exam "${req.exam}" (exams: ${
          this.list()
            .map((e) => e.slug)
            .join(', ') || 'none'
        }).`,
      );
    // One attempt at a time per learner: each holds a lab per task until it is graded.
    const open = this.#d.store.listByLearner(req.learnerId).find((a) => a.state === 'running' && this.#now() < a.endsAt);
    if (open) throw new LabRunnerError('lab-state', `You have an exam attempt running (${open.id}); submit it before starting another.`);
    const seed = req.seed ?? newSeed();
    const id = `ex-${randomBytes(6).toString('hex')}`;
    const drawn = drawExam(loaded.exam, seed);
    const tasks: AttemptTask[] = [];
    try {
      for (const [i, item] of drawn.entries()) {
        const lesson = await this.#lesson(item.lesson);
        const labLearner = `exam-${id}-${i}`;
        const lab = await this.#d.labs.create({ template: lesson.sandbox, learnerId: labLearner, ...(req.clientKey ? { clientKey: req.clientKey } : {}) });
        tasks.push({ lesson: item.lesson, task: item.task, pool: item.pool, seed: item.seed, labLearner, labId: lab.id, flagged: false });
        await this.#prepare(lab.id, lesson, item.task, item.seed);
      }
    } catch (err) {
      await Promise.all(tasks.map((t) => this.#d.labs.destroy(t.labId, 'exam start failed').catch(() => {})));
      throw err;
    }
    const startedAt = this.#now();
    const attempt: ExamAttempt = {
      id,
      learnerId: req.learnerId,
      exam: loaded.slug,
      seed,
      state: 'running',
      startedAt,
      endsAt: startedAt + loaded.exam.minutes * 60_000,
      total: tasks.length,
      tasks,
    };
    this.#d.store.insert(attempt);
    this.#schedule(attempt);
    log.info('exam attempt started', { attempt: id, exam: loaded.slug, tasks: tasks.map((t) => `${t.lesson}#${t.task}`).join(' ') });
    return this.#view(attempt);
  }

  /** The attempt as its owner sees it; an attempt past its time is graded first. */
  async view(id: string, learnerId: string): Promise<ExamAttemptView> {
    let attempt = this.#own(id, learnerId);
    if (attempt.state === 'running' && this.#now() >= attempt.endsAt) attempt = await this.#grade(attempt, 'timeout');
    else if (attempt.state === 'running') await this.#keepAlive(attempt);
    return this.#view(attempt);
  }

  /**
   * While the attempt's page is open (it polls the attempt), every task's lab counts as active: a task the learner has
   * not touched for a while must not be paused or idle-destroyed (LAB_IDLE_DESTROY) before it is graded.
   */
  async #keepAlive(a: ExamAttempt): Promise<void> {
    const touch = this.#d.labs.touch?.bind(this.#d.labs);
    if (!touch || this.#now() - (this.#touched.get(a.id) ?? -Infinity) < 60_000) return;
    this.#touched.set(a.id, this.#now());
    await Promise.all(a.tasks.map((t) => touch(t.labId).catch(() => {})));
  }

  async flag(id: string, learnerId: string, index: number, flagged: boolean): Promise<ExamAttemptView> {
    const attempt = this.#own(id, learnerId);
    if (attempt.state !== 'running') throw new LabRunnerError('lab-state', 'The attempt is graded; flags are for review while it runs.');
    const task = attempt.tasks[index];
    if (!task) throw new LabRunnerError('bad-request', `The attempt has no task ${index + 1}.`);
    const tasks = attempt.tasks.map((t, i) => (i === index ? { ...t, flagged } : t));
    this.#d.store.setTasks(id, tasks);
    return this.view(id, learnerId);
  }

  async submit(id: string, learnerId: string): Promise<ExamAttemptView> {
    const attempt = this.#own(id, learnerId);
    return this.#view(attempt.state === 'graded' ? attempt : await this.#grade(attempt, this.#now() >= attempt.endsAt ? 'timeout' : 'submitted'));
  }

  /** A terminal ticket for one of a running attempt's labs, issued to the task's pseudo-learner. */
  async ticket(id: string, learnerId: string, index: number, target: string): Promise<{ ticket: string; expiresAt: number; path: string }> {
    const attempt = this.#own(id, learnerId);
    if (attempt.state !== 'running' || this.#now() >= attempt.endsAt) throw new LabRunnerError('lab-state', 'The attempt is over; its labs are closed.');
    const task = attempt.tasks[index];
    if (!task) throw new LabRunnerError('bad-request', `The attempt has no task ${index + 1}.`);
    const lab = await this.#d.labs.get(task.labId);
    if (!lab || (lab.state !== 'ready' && lab.state !== 'paused')) throw new LabRunnerError('lab-state', "This task's lab is not running.");
    if (!lab.targets.some((t) => t.name === target)) throw new LabRunnerError('unknown-target', `This lab has no target "${target}".`);
    const { ticket, expiresAt } = this.#d.terminals.issueTicket({ learner: task.labLearner, lab: task.labId, target });
    const query = new URLSearchParams({ ticket, lab: task.labId, target });
    return { ticket, expiresAt, path: `${this.#d.terminals.path}?${query}` };
  }

  /** After a restart: running attempts get their time-out timers back. */
  resumeTimers(): void {
    for (const a of this.#d.store.listRunning()) this.#schedule(a);
  }

  close(): void {
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #schedule(a: ExamAttempt): void {
    clearTimeout(this.#timers.get(a.id));
    const t = setTimeout(
      () => {
        this.#timers.delete(a.id);
        const current = this.#d.store.get(a.id);
        if (current?.state === 'running')
          void this.#grade(current, 'timeout').catch((err: unknown) => log.error('grading a timed-out attempt failed', { attempt: a.id, error: String(err) }));
      },
      Math.max(0, a.endsAt - this.#now()),
    );
    t.unref();
    this.#timers.set(a.id, t);
  }

  #own(id: string, learnerId: string): ExamAttempt {
    const a = this.#d.store.get(id);
    if (!a || a.learnerId !== learnerId) throw notFound(id);
    return a;
  }

  async #lesson(id: string): Promise<LessonChallenge> {
    const lesson = await this.#d.lessons.get(id);
    if (!lesson) throw new LabRunnerError('bad-request', `The exam names lesson "${id}", which has no challenge.`);
    return lesson;
  }

  /** The task's lab: setup with the task's seed, then the solutions of every task before it (as lab verify does). */
  async #prepare(labId: string, lesson: LessonChallenge, taskId: string, seed: string): Promise<void> {
    await this.#d.seeds.set(labId, lesson.lesson, seed);
    const setup = await this.#d.grader.prepareLab(labId, lesson.lesson);
    if (setup.status !== 'done')
      throw new LabRunnerError('provision-failed', `The exam lab for ${lesson.lesson} could not be set up: ${setup.error ?? setup.status}.`);
    const all = new Set(lesson.challenge.tasks.map((t) => t.id));
    for (const step of rewindPlan(lesson.challenge, taskId, all, seed).replay) {
      const r = await runScript(this.#d.labs.exec.bind(this.#d.labs), {
        labId,
        target: step.target,
        script: step.script,
        timeoutMs: REPLAY_TIMEOUT_MS,
        label: `exam: solution of ${step.taskId}`,
      });
      if (r.verdict.outcome !== 'passed')
        throw new LabRunnerError('provision-failed', `Preparing the exam lab failed at the solution of ${lesson.lesson}#${step.taskId}: ${r.verdict.summary}`);
    }
  }

  /** Grades every task once (concurrent calls share one grading), stores the score, then removes the labs. */
  #grade(attempt: ExamAttempt, endedBy: 'submitted' | 'timeout'): Promise<ExamAttempt> {
    const running = this.#grading.get(attempt.id);
    if (running) return running;
    const work = (async () => {
      const tasks: AttemptTask[] = [];
      for (const t of attempt.tasks) tasks.push({ ...t, grade: await this.#gradeTask(t) });
      const { score } = scoreAttempt(tasks.map((t) => t.grade!));
      this.#d.store.markGraded(attempt.id, { gradedAt: this.#now(), endedBy, score, tasks });
      clearTimeout(this.#timers.get(attempt.id));
      this.#timers.delete(attempt.id);
      this.#touched.delete(attempt.id);
      log.info('exam attempt graded', { attempt: attempt.id, endedBy, score, total: tasks.length });
      // One after the other: each teardown also edits the host's firewall rules, which concurrent edits can race.
      for (const t of attempt.tasks) await this.#d.labs.destroy(t.labId, 'exam graded').catch(() => {});
      return this.#d.store.get(attempt.id)!;
    })();
    this.#grading.set(attempt.id, work);
    return work.finally(() => this.#grading.delete(attempt.id));
  }

  async #gradeTask(t: AttemptTask): Promise<TaskGrade> {
    const task = await this.#task(t);
    const exec = this.#d.labs.exec.bind(this.#d.labs);
    const env = { PW_TASK_ID: task.id };
    const check = await runScript(exec, {
      labId: t.labId,
      target: task.target,
      script: task.check,
      timeoutMs: task.timeout,
      label: `exam check ${task.id}`,
      env,
    });
    if (check.verdict.outcome !== 'passed') return gradeTask(check.verdict, []);
    const invariants = [];
    for (const inv of task.invariants) {
      const r = await runScript(exec, {
        labId: t.labId,
        target: inv.target ?? task.target,
        script: inv.check,
        timeoutMs: inv.timeout ?? task.timeout,
        label: `exam invariant ${inv.id}`,
        env,
      });
      invariants.push({ title: inv.title, verdict: r.verdict });
    }
    return gradeTask(check.verdict, invariants);
  }

  async #task(t: AttemptTask): Promise<Task> {
    const task = (await this.#lesson(t.lesson)).challenge.tasks.find((x) => x.id === t.task);
    if (!task) throw new LabRunnerError('bad-request', `Lesson ${t.lesson} no longer has task ${t.task}.`);
    return task;
  }

  async #view(a: ExamAttempt): Promise<ExamAttemptView> {
    const loaded = this.#d.exams().find((e) => e.slug === a.exam);
    const graded = a.state === 'graded';
    const tasks: ExamTaskView[] = [];
    for (const [index, t] of a.tasks.entries()) {
      const lesson = await this.#lesson(t.lesson);
      const task = lesson.challenge.tasks.find((x) => x.id === t.task);
      const lab = graded ? undefined : await this.#d.labs.get(t.labId);
      const view: ExamTaskView = {
        index,
        title: task?.title ?? t.task,
        descriptionHtml: task ? renderChallengeMarkdown(task.description) : '',
        flagged: t.flagged,
        labId: t.labId,
        targets: lab && (lab.state === 'ready' || lab.state === 'paused') ? lab.targets.map((x) => ({ name: x.name, title: x.title })) : [],
      };
      if (graded && t.grade) {
        const v = t.grade.verdict;
        view.verdict = {
          passed: t.grade.passed,
          failLines: v?.failLines ?? [],
          ...(v ? { summary: v.summary } : {}),
          ...(v?.structured?.observed !== undefined ? { observed: v.structured.observed } : {}),
          ...(v?.structured?.expected !== undefined ? { expected: v.structured.expected } : {}),
          ...(t.grade.brokenInvariant ? { brokenInvariant: t.grade.brokenInvariant } : {}),
        };
        if (task) view.solutionHtml = renderChallengeMarkdown(task.solution.text);
        view.lesson = { id: lesson.lesson, title: lesson.title, href: lesson.href };
      }
      tasks.push(view);
    }
    return {
      id: a.id,
      exam: { slug: a.exam, title: loaded?.exam.title ?? a.exam, minutes: loaded?.exam.minutes ?? Math.round((a.endsAt - a.startedAt) / 60_000) },
      state: a.state,
      serverNow: this.#now(),
      startedAt: a.startedAt,
      endsAt: a.endsAt,
      tasks,
      total: a.total,
      ...(a.gradedAt !== undefined ? { gradedAt: a.gradedAt } : {}),
      ...(a.endedBy ? { endedBy: a.endedBy } : {}),
      ...(a.score !== undefined ? { score: a.score } : {}),
    };
  }
}
