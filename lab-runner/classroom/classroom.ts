// The classroom service (#17): accounts and sessions, classes and enrollment, the trainer's live grid, read-only
// terminal watching, trainer actions, messages, export and audit. Every method takes the acting account and checks
// what it may do; route handlers only validate input and call one method. Nothing here knows about HTTP.
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../../lib/config.ts';
import { createLogger } from '../../lib/log.ts';
import type { Grader } from '../grader/grader.ts';
import type { ChallengeView } from '../wire/challenge.ts';
import type { LessonChallengeSource } from '../../course/challenge/lesson-challenges.ts';
import type { LabManager } from '../lab/lab-manager.ts';
import type { Lab } from '../lab/lab.ts';
import type { LabLifecycle } from '../lab/lab-lifecycle.ts';
import type { LabStore } from '../store/lab-store.ts';
import type { ProgressStore, LessonProgress } from '../store/progress-store.ts';
import type { TerminalGateway } from '../terminal/terminal-gateway.ts';
import type {
  ClassGrid,
  ClassMessageView,
  ClassSummary,
  DashboardEvent,
  GridCell,
  GridLearner,
  LearnerClassView,
  LearnerEvent,
  TrainerClassView,
  WatchEvent,
} from '../wire/classroom.ts';
import { AccountStore } from './account-store.ts';
import { AuditLog } from './audit-log.ts';
import { buildClassGrid, cellOf, labSummary, sameCell } from './class-grid.ts';
import { ClassStore, type ClassMessage, type ClassRecord } from './class-store.ts';
import { ClassroomError } from './classroom-error.ts';
import { LiveHub } from './live-hub.ts';
import { canTeach, type Account, type Role } from './roles.ts';
import { TaskActivityStore } from './task-activity.ts';
import { Identity } from './identity.ts';
import { RateLimiter } from '../terminal/rate-limit.ts';
import type { AccountResolver } from '../../lib/auth/account-handle.ts';

const log = createLogger('classroom');

/** A learner's lab may be extended at most this far beyond now, whatever the trainer asks. */
const MAX_EXTEND_MS = 8 * 3_600_000;
/** Pre-warm labs this long before a class starts. */
const PREWARM_LEAD_MS = 10 * 60_000;

export interface ClassroomDeps {
  config: Config;
  db: DatabaseSync;
  labs: Pick<LabManager, 'get' | 'list' | 'create'>;
  /** A trainer's reset goes the way a learner's does (terminals, lab, grader in one order). */
  lifecycle: Pick<LabLifecycle, 'reset'>;
  /** A trainer's Extend moves the lab's hard expiry. */
  store: Pick<LabStore, 'extendExpiry'>;
  grader: Pick<Grader, 'observe' | 'prepareLab'>;
  terminals: Pick<TerminalGateway, 'session'>;
  lessons: LessonChallengeSource;
  progress: Pick<ProgressStore, 'lessonProgress'>;
  now?: () => number;
}

export interface NewClassInput {
  name: string;
  lessons: string[];
  startsAt: number;
  endsAt: number;
  capacity: number;
  enrollExpiresAt?: number;
  prewarm: boolean;
}

export type LearnerAction = { action: 'reset' } | { action: 'extend'; minutes: number } | { action: 'message'; body: string } | { action: 'clear-help' };

const isLive = (l: Lab) => l.state === 'ready' || l.state === 'paused' || l.state === 'pending';

export class Classroom {
  readonly accounts: AccountStore;
  readonly classes: ClassStore;
  readonly activity: TaskActivityStore;
  readonly audit: AuditLog;
  readonly hub = new LiveHub();
  /** Sign-in and sessions (better-auth, built by start() unless AUTH=anonymous). */
  readonly identity: Identity;
  readonly #deps: ClassroomDeps;
  readonly #now: () => number;
  readonly #unobserve: () => void;
  /** The last cell sent per (class, user, lesson, task), so a view that changes nothing the trainer sees sends nothing. */
  readonly #lastCells = new Map<string, GridCell>();
  #timer: NodeJS.Timeout | undefined;
  /** Wrong enroll codes or links per account per minute: 8 characters from 31 are not to be guessed by brute force. */
  readonly #badEnrollRefs = new RateLimiter(20, 60_000);

  constructor(deps: ClassroomDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.accounts = new AccountStore(deps.db);
    this.classes = new ClassStore(deps.db);
    this.activity = new TaskActivityStore(deps.db);
    this.audit = new AuditLog(deps.db);
    const { AUTH } = deps.config;
    this.identity = new Identity(this.accounts, deps.config);
    // AUTH=anonymous has no classes: the grader keeps working exactly as before, with no observer.
    this.#unobserve = AUTH === 'anonymous' ? () => {} : deps.grader.observe((learnerId, view) => this.#onView(learnerId, view));
  }

  /** For lib/learner: sessions name learners, and an account's learner id cannot be opened by an anonymous cookie. */
  resolver(): AccountResolver {
    return {
      fromRequestHeaders: (headers) => this.identity.accountFor(headers),
      ownsLearnerId: (id) => this.accounts.ownsLearnerId(id),
    };
  }

  get stuckAfterMs(): number {
    return this.#deps.config.CLASS_STUCK_AFTER;
  }

  /** Builds sign-in (better-auth and its tables) unless AUTH=anonymous. Before the site answers: sessions need it. */
  async prepare(): Promise<void> {
    await this.identity.start(this.#deps.db);
  }

  /** Background work: stuck cells turn stuck without any grader event, and classes pre-warm before they start. */
  start(tickMs = 15_000): void {
    if (this.#deps.config.AUTH === 'anonymous') return;
    this.#timer ??= setInterval(() => {
      void this.runDueWork().catch((err: unknown) => log.warn('classroom tick failed', { error: err instanceof Error ? err.message : String(err) }));
    }, tickMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unobserve();
  }

  // --- accounts --------------------------------------------------------------------------------------------------

  /**
   * Admins grant and revoke trainer (and admin) rights; an admin cannot demote themselves (someone must remain).
   * The account is signed out everywhere: its sessions end, and it signs in again under the new role.
   */
  async setRole(actor: Account, email: string, role: Role): Promise<Account> {
    if (actor.role !== 'admin') throw new ClassroomError('class-forbidden', 'Only an admin can change roles.');
    const target = this.accounts.byEmail(email);
    if (!target) throw new ClassroomError('class-not-found', `No account for ${email}.`);
    if (target.id === actor.id && role !== 'admin') throw new ClassroomError('class-invalid', 'You cannot remove your own admin rights; ask another admin.');
    const updated = this.accounts.setRole(target.id, role);
    if (target.role !== role) await this.identity.signOutEverywhere(target.id);
    this.audit.record({ actorId: actor.id, action: 'role-change', target: target.id, detail: { email: target.email, from: target.role, to: role } });
    return updated;
  }

  // --- classes ---------------------------------------------------------------------------------------------------

  async createClass(actor: Account, input: NewClassInput): Promise<TrainerClassView> {
    if (!canTeach(actor)) throw new ClassroomError('class-forbidden', 'Only trainers can create classes; an admin can grant you trainer rights.');
    if (input.endsAt <= input.startsAt) throw new ClassroomError('class-invalid', 'The class must end after it starts.');
    const unknown: string[] = [];
    for (const lesson of input.lessons) if (!(await this.#deps.lessons.get(lesson))) unknown.push(lesson);
    if (unknown.length > 0) throw new ClassroomError('class-invalid', `No lesson with a challenge called ${unknown.join(', ')}.`);
    if (new Set(input.lessons).size !== input.lessons.length) throw new ClassroomError('class-invalid', 'A lesson appears twice in the class.');
    const enrollExpiresAt = Math.min(input.enrollExpiresAt ?? input.endsAt, input.endsAt);
    const c = this.classes.create(
      {
        trainerId: actor.id,
        name: input.name,
        lessons: input.lessons,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        capacity: input.capacity,
        enrollExpiresAt,
        prewarm: input.prewarm,
      },
      this.#now(),
    );
    this.audit.record({ actorId: actor.id, action: 'class-create', target: c.id, detail: { name: c.name, lessons: c.lessons, capacity: c.capacity } });
    return this.#trainerView(c);
  }

  /** Trainers see their own classes (admins all); learners the classes they joined. Nobody can list others'. */
  listClasses(actor: Account): { teaching: TrainerClassView[]; joined: ClassSummary[] } {
    const teaching = actor.role === 'admin' ? this.classes.all() : actor.role === 'trainer' ? this.classes.ofTrainer(actor.id) : [];
    return { teaching: teaching.map((c) => this.#trainerView(c)), joined: this.classes.ofLearner(actor.id).map((c) => this.#summary(c)) };
  }

  /** A class the actor teaches (its trainer, or an admin). Anyone else gets not-found, whether it exists or not. */
  #taught(actor: Account, classId: string): ClassRecord {
    const c = this.classes.get(classId);
    if (!c || (c.trainerId !== actor.id && actor.role !== 'admin')) throw new ClassroomError('class-not-found', 'No such class.');
    return c;
  }

  #visible(actor: Account, classId: string): ClassRecord {
    const c = this.classes.get(classId);
    if (!c || (c.trainerId !== actor.id && actor.role !== 'admin' && !this.classes.isEnrolled(classId, actor.id)))
      throw new ClassroomError('class-not-found', 'No such class.');
    return c;
  }

  trainerClass(actor: Account, classId: string): TrainerClassView {
    return this.#trainerView(this.#taught(actor, classId));
  }

  /** Looks a class up by its enroll link's token or its short code, for the join page: only the name and dates. */
  enrollTarget(actor: Account, ref: { token: string } | { code: string }): ClassSummary {
    return this.#summary(this.#byEnrollRef(actor, ref));
  }

  #byEnrollRef(actor: Account, ref: { token: string } | { code: string }): ClassRecord {
    const c = 'token' in ref ? this.classes.byEnrollToken(ref.token) : this.classes.byShortCode(ref.code);
    if (c) return c;
    if (!this.#badEnrollRefs.allow(actor.id)) throw new ClassroomError('rate-limited', 'Too many wrong class codes; wait a minute and try again.');
    throw new ClassroomError('class-not-found', 'No class behind this link or code.');
  }

  join(actor: Account, ref: { token: string } | { code: string }): ClassSummary {
    const c = this.#byEnrollRef(actor, ref);
    this.classes.enroll(c.id, actor.id, this.#now());
    const learner = this.#gridLearner(c, actor.id);
    if (learner) this.hub.dashboards.publish(c.id, { type: 'learner', learner });
    return this.#summary(c);
  }

  async learnerClass(actor: Account, classId: string): Promise<LearnerClassView> {
    const c = this.#visible(actor, classId);
    const path = [];
    for (const lesson of c.lessons) {
      const l = await this.#deps.lessons.get(lesson);
      const p = await this.#deps.progress.lessonProgress(actor.learnerId, lesson);
      const total = l?.challenge.tasks.length ?? 0;
      path.push({
        lesson,
        title: l?.title ?? lesson,
        href: l?.href ?? '#',
        passed: p.completedAt !== undefined ? total : Math.min(p.tasks.filter((t) => t.passedAt !== undefined).length, total),
        total,
        ...(p.completedAt !== undefined ? { completedAt: p.completedAt } : {}),
      });
    }
    return { ...this.#summary(c), path, messages: this.classes.messagesFor(c.id, actor.id).map((m) => this.#messageView(m)) };
  }

  // --- the grid --------------------------------------------------------------------------------------------------

  async grid(actor: Account, classId: string): Promise<ClassGrid> {
    return this.#grid(this.#taught(actor, classId));
  }

  async #grid(c: ClassRecord): Promise<ClassGrid> {
    const grid = await buildClassGrid(
      {
        classes: this.classes,
        accounts: this.accounts,
        activity: this.activity,
        lessons: this.#deps.lessons,
        progress: this.#deps.progress,
        labs: this.#deps.labs,
      },
      c,
      this.stuckAfterMs,
      this.#now(),
    );
    for (const cell of grid.cells) this.#lastCells.set(cellKey(c.id, cell), cell);
    return grid;
  }

  /** Live dashboard: the grid now, then every change. Returns the unsubscribe function. */
  async watchDashboard(actor: Account, classId: string, send: (e: DashboardEvent) => void): Promise<() => void> {
    const c = this.#taught(actor, classId);
    const stop = this.hub.dashboards.subscribe(c.id, send);
    send({ type: 'grid', grid: await this.#grid(c) });
    return stop;
  }

  /** A grader view reached a learner's page: fold it into the activity and tell the dashboards of their classes. */
  #onView(learnerId: string, view: ChallengeView): void {
    const now = this.#now();
    const changed = this.activity.observe(
      learnerId,
      view.lesson,
      view.tasks.map((t) => ({
        id: t.id,
        status: t.status,
        ...(t.verdict ? { summary: t.verdict.summary } : {}),
        ...(t.passedAt !== undefined ? { passedAt: t.passedAt } : {}),
      })),
      now,
    );
    const account = this.accounts.byLearnerId(learnerId);
    if (!account) return;
    const classes = this.classes.ofLearner(account.id).filter((c) => c.lessons.includes(view.lesson) && this.hub.dashboards.has(c.id));
    if (classes.length === 0) return;
    // Hints and solutions come with the view; passes too. Build each task's cell from the view and the activity.
    const progress: LessonProgress = {
      lesson: view.lesson,
      bestPassed: 0,
      tasks: view.tasks.map((t) => ({
        taskId: t.id,
        ...(t.passedAt !== undefined && t.status === 'passed' ? { passedAt: t.passedAt } : {}),
        hintsRevealed: t.hintsHtml.length,
        ...(t.solutionRevealed ? { solutionRevealedAt: now } : {}),
      })),
    };
    const acts = this.activity.forLearners([learnerId], [view.lesson]);
    for (const c of classes) {
      for (const t of view.tasks) {
        const cell = cellOf({
          userId: account.id,
          lesson: view.lesson,
          taskId: t.id,
          progress,
          activity: acts.find((a) => a.taskId === t.id),
          stuckAfterMs: this.stuckAfterMs,
          now,
        });
        const key = cellKey(c.id, cell);
        if (sameCell(this.#lastCells.get(key), cell) && !changed.some((x) => x.taskId === t.id)) continue;
        this.#lastCells.set(key, cell);
        this.hub.dashboards.publish(c.id, { type: 'cell', cell });
      }
    }
  }

  /** What the background tick does (public for tests): stuck cells, and classes due for pre-warming. */
  async runDueWork(): Promise<void> {
    const now = this.#now();
    // Stuck is a matter of time: recompute the cells of watched classes and send those that changed.
    for (const [key, cell] of this.#lastCells) {
      if (cell.state !== 'working' || cell.failingSince === undefined || now - cell.failingSince < this.stuckAfterMs) continue;
      const classId = key.split('\u0000')[0]!;
      const stuck: GridCell = { ...cell, state: 'stuck', timeOnTaskMs: cell.firstSeenAt !== undefined ? now - cell.firstSeenAt : 0 };
      this.#lastCells.set(key, stuck);
      this.hub.dashboards.publish(classId, { type: 'cell', cell: stuck });
    }
    await this.#prewarm(now);
  }

  /** Classes with pre-warm on get a lab for the first lesson per enrolled learner, prepared, shortly before they start. */
  async #prewarm(now: number): Promise<void> {
    for (const c of this.classes.all()) {
      if (!c.prewarm || c.prewarmedAt !== undefined || now < c.startsAt - PREWARM_LEAD_MS || now >= c.endsAt) continue;
      this.classes.markPrewarmed(c.id, now);
      await this.prewarmNow(c);
    }
  }

  /** Creates (or finds) each enrolled learner's lab for the class's first lesson and runs its setup. */
  async prewarmNow(c: ClassRecord, actorId = 'system'): Promise<{ created: number; failed: number }> {
    const first = c.lessons[0] ? await this.#deps.lessons.get(c.lessons[0]) : undefined;
    if (!first) return { created: 0, failed: 0 };
    let created = 0;
    let failed = 0;
    for (const m of this.classes.members(c.id)) {
      const account = this.accounts.byId(m.userId);
      if (!account) continue;
      try {
        const existing = (await this.#deps.labs.list({ learnerId: account.learnerId })).find((l) => l.template === first.sandbox && isLive(l));
        const lab = existing ?? (await this.#deps.labs.create({ template: first.sandbox, learnerId: account.learnerId }));
        if (!existing) created++;
        await this.#deps.grader.prepareLab(lab.id, first.lesson);
      } catch (err) {
        failed++;
        log.warn('pre-warming a lab failed', { class: c.id, user: m.userId, error: err instanceof Error ? err.message : String(err) });
      }
    }
    this.audit.record({ actorId, action: 'class-prewarm', target: c.id, detail: { lesson: first.lesson, created, failed } });
    return { created, failed };
  }

  async prewarmClass(actor: Account, classId: string): Promise<{ created: number; failed: number }> {
    const c = this.#taught(actor, classId);
    this.classes.markPrewarmed(c.id, this.#now());
    return this.prewarmNow(c, actor.id);
  }

  // --- learners' side --------------------------------------------------------------------------------------------

  /** A learner's live feed: messages of their classes, "your trainer is watching", lab actions. */
  watchAsLearner(actor: Account, send: (e: LearnerEvent) => void): () => void {
    const classes = this.classes.ofLearner(actor.id);
    const stop = this.hub.learners.subscribe(actor.id, send);
    const messages = classes.flatMap((c) => this.classes.messagesFor(c.id, actor.id, 5).map((m) => this.#messageView(m))).sort((a, b) => a.sentAt - b.sentAt);
    send({ type: 'hello', classes: classes.map((c) => ({ id: c.id, name: c.name })), messages });
    for (const c of classes) if (this.hub.isWatched(c.id, actor.id)) send({ type: 'watching', classId: c.id, watching: true });
    return stop;
  }

  askForHelp(actor: Account, classId: string, lesson: string | undefined): void {
    const c = this.#visible(actor, classId);
    if (!this.classes.isEnrolled(c.id, actor.id)) throw new ClassroomError('class-forbidden', 'Only learners of the class can ask for help in it.');
    this.classes.askHelp(c.id, actor.id, lesson, this.#now());
    const learner = this.#gridLearner(c, actor.id);
    if (learner) this.hub.dashboards.publish(c.id, { type: 'learner', learner });
  }

  // --- trainer actions -------------------------------------------------------------------------------------------

  /** The learner, if they are in the class the actor teaches; not-found otherwise (learner ids are not to be probed). */
  #member(actor: Account, classId: string, userId: string): { c: ClassRecord; learner: Account } {
    const c = this.#taught(actor, classId);
    const learner = this.classes.isEnrolled(c.id, userId) ? this.accounts.byId(userId) : undefined;
    if (!learner) throw new ClassroomError('class-not-found', 'No such learner in this class.');
    return { c, learner };
  }

  async #labOf(learner: Account): Promise<Lab> {
    const labs = (await this.#deps.labs.list({ learnerId: learner.learnerId })).filter(isLive).sort((a, b) => +b.createdAt - +a.createdAt);
    if (!labs[0]) throw new ClassroomError('class-not-found', `${learner.name} has no lab running.`);
    return labs[0];
  }

  async act(actor: Account, classId: string, userId: string, action: LearnerAction): Promise<{ ok: true; expiresAt?: number }> {
    const { c, learner } = this.#member(actor, classId, userId);
    switch (action.action) {
      case 'reset': {
        const lab = await this.#labOf(learner);
        if (lab.state === 'failed' || lab.state === 'pending') throw new ClassroomError('class-invalid', 'The lab is not ready; it cannot be reset now.');
        await this.#deps.lifecycle.reset(lab);
        this.audit.record({ actorId: actor.id, action: 'lab-reset', target: learner.id, detail: { class: c.id, lab: lab.id } });
        this.hub.learners.publish(learner.id, { type: 'lab', action: 'reset', labId: lab.id });
        await this.#publishLearner(c, learner);
        return { ok: true };
      }
      case 'extend': {
        const lab = await this.#labOf(learner);
        const now = this.#now();
        const expiresAt = Math.min(Math.max(+lab.expiresAt, now) + action.minutes * 60_000, now + MAX_EXTEND_MS);
        await this.#deps.store.extendExpiry(lab.id, new Date(expiresAt));
        this.audit.record({
          actorId: actor.id,
          action: 'lab-extend',
          target: learner.id,
          detail: { class: c.id, lab: lab.id, minutes: action.minutes, expiresAt },
        });
        this.hub.learners.publish(learner.id, { type: 'lab', action: 'extended', labId: lab.id, expiresAt });
        await this.#publishLearner(c, learner);
        return { ok: true, expiresAt };
      }
      case 'message': {
        const m = this.classes.addMessage({ classId: c.id, toUserId: learner.id, fromUserId: actor.id, body: action.body, sentAt: this.#now() });
        this.audit.record({ actorId: actor.id, action: 'message-learner', target: learner.id, detail: { class: c.id, message: m.id } });
        this.hub.learners.publish(learner.id, { type: 'message', message: this.#messageView(m) });
        return { ok: true };
      }
      case 'clear-help': {
        this.classes.clearHelp(c.id, learner.id, this.#now());
        const view = this.#gridLearner(c, learner.id);
        if (view) this.hub.dashboards.publish(c.id, { type: 'learner', learner: view });
        return { ok: true };
      }
    }
  }

  messageClass(actor: Account, classId: string, body: string): ClassMessageView {
    const c = this.#taught(actor, classId);
    const m = this.classes.addMessage({ classId: c.id, fromUserId: actor.id, body, sentAt: this.#now() });
    this.audit.record({ actorId: actor.id, action: 'message-class', target: c.id, detail: { message: m.id } });
    const view = this.#messageView(m);
    for (const member of this.classes.members(c.id)) this.hub.learners.publish(member.userId, { type: 'message', message: view });
    this.hub.dashboards.publish(c.id, { type: 'message', message: view });
    return view;
  }

  /**
   * Read-only view of a learner's terminal: the screen now, then output. Only the class's trainer (or an admin); the
   * learner is told while it lasts. Resolves undefined when the learner has no terminal open on that target.
   */
  async watchTerminal(actor: Account, classId: string, userId: string, target: string, send: (e: WatchEvent) => void): Promise<(() => void) | undefined> {
    const { c, learner } = this.#member(actor, classId, userId);
    const lab = await this.#labOf(learner);
    const session = this.#deps.terminals.session(lab.id, target);
    if (!session) return undefined;
    let ended = false;
    const watch = await session.watch(
      (chunk) => send({ type: 'output', data: chunk.toString('base64') }),
      () => {
        if (ended) return;
        ended = true;
        this.hub.watchEnded(c.id, learner.id);
        send({ type: 'ended', reason: "The learner's terminal closed (lab reset, stopped, or the shell exited)." });
      },
    );
    send({ type: 'screen', screen: watch.screen, cols: watch.cols, rows: watch.rows, target });
    this.hub.watchStarted(c.id, learner.id, actor.name);
    this.audit.record({ actorId: actor.id, action: 'terminal-watch', target: learner.id, detail: { class: c.id, lab: lab.id, target } });
    return () => {
      watch.stop();
      if (ended) return;
      ended = true;
      this.hub.watchEnded(c.id, learner.id);
    };
  }

  async exportClass(actor: Account, classId: string, format: 'csv' | 'json'): Promise<ClassGrid> {
    const c = this.#taught(actor, classId);
    this.audit.record({ actorId: actor.id, action: 'class-export', target: c.id, detail: { format } });
    return this.#grid(c);
  }

  /** For `npm run progress:export -- --class`: no actor, the shell is trusted. */
  async exportForShell(classId: string): Promise<ClassGrid> {
    const c = this.classes.get(classId);
    if (!c) throw new ClassroomError('class-not-found', `No class ${classId}.`);
    return this.#grid(c);
  }

  // --- views -----------------------------------------------------------------------------------------------------

  #summary(c: ClassRecord): ClassSummary {
    return {
      id: c.id,
      name: c.name,
      lessons: c.lessons,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      capacity: c.capacity,
      enrolled: this.classes.members(c.id).length,
    };
  }

  #trainerView(c: ClassRecord): TrainerClassView {
    return {
      ...this.#summary(c),
      enrollToken: c.enrollToken,
      shortCode: c.shortCode,
      enrollExpiresAt: c.enrollExpiresAt,
      prewarm: c.prewarm,
      ...(c.prewarmedAt !== undefined ? { prewarmedAt: c.prewarmedAt } : {}),
    };
  }

  #gridLearner(c: ClassRecord, userId: string): GridLearner | undefined {
    const a = this.accounts.byId(userId);
    const m = this.classes.members(c.id).find((x) => x.userId === userId);
    if (!a || !m) return undefined;
    const help = this.classes.openHelp(c.id).get(userId);
    return { userId, name: a.name, email: a.email, joinedAt: m.joinedAt, ...(help ? { help } : {}) };
  }

  /** Tells the class's dashboards about a learner's row again, with their lab as it is now (after a reset or extension). */
  async #publishLearner(c: ClassRecord, learner: Account): Promise<void> {
    const row = this.#gridLearner(c, learner.id);
    if (!row) return;
    const lab = (await this.#deps.labs.list({ learnerId: learner.learnerId })).filter(isLive).sort((a, b) => +b.createdAt - +a.createdAt)[0];
    this.hub.dashboards.publish(c.id, { type: 'learner', learner: { ...row, ...(lab ? { lab: labSummary(lab) } : {}) } });
  }

  #messageView(m: ClassMessage): ClassMessageView {
    return {
      id: m.id,
      classId: m.classId,
      body: m.body,
      sentAt: m.sentAt,
      scope: m.toUserId ? 'direct' : 'class',
      from: this.accounts.byId(m.fromUserId)?.name ?? 'trainer',
    };
  }
}

function cellKey(classId: string, cell: GridCell): string {
  return `${classId}\u0000${cell.userId}\u0000${cell.lesson}\u0000${cell.taskId}`;
}
