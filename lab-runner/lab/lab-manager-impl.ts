// The LabManager: lab records in the store, Docker objects through a provisioner per sandbox runtime.
// Flow of create: template -> warm pool claim (one store transaction) or: memory check -> pending record
// (caps checked atomically) -> provision (labels carry lab id + store id) -> ready. Any failure tears the lab
// down by label and records it as failed, so nothing leaks; a crash mid-way leaves a pending record whose owner
// is dead, which the reaper cleans up.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createLogger } from '../../lib/log.ts';
import { CapacityError, DockerCallError, LabNotFoundError, LabRunnerError, LabStateError, ProvisionError } from '../errors.ts';
import { Labels, labLabels, POOL_LEARNER } from '../labels.ts';
import type { ContainerRuntime, ExecOptions, ExecResult, StreamExec, StreamExecOptions, TtyExec, TtyExecOptions } from '../runtime/container-runtime.ts';
import type { SandboxCatalog } from '../../course/sandbox/sandbox-catalog.ts';
import type { Sandbox } from '../../course/sandbox/sandbox-schema.ts';
import type { LabRecord, LabStore } from '../store/lab-store.ts';
import type { HostMemoryProbe } from './host-memory.ts';
import type { Lab, LabEvent, LabTarget, LiveLab, PendingLab, ReadyLab } from './lab.ts';
import { LabEventBus } from './lab-events.ts';
import { newLabId } from './lab-id.ts';
import type { CreateLabRequest, LabManager } from './lab-manager.ts';
import type { Provisioner } from './provisioner.ts';
import { teardownByLabel } from './teardown-by-label.ts';

const log = createLogger('labs');

export interface LabLimits {
  maxTotal: number;
  maxPerLearner: number;
  /** Labs one client (address or account) may hold; applied to creates that name a client. */
  maxPerClient?: number;
  /** The last free slots go only to clients with no lab (applied to creates that name a client). */
  reservedSlots?: number;
  hardExpiryMs: number;
  /** The longest Extend may keep a lab (LAB_MAX_LIFETIME): its containers' expiry label covers it, for other stores' reapers. */
  maxLifetimeMs?: number;
  /** Refuse new labs when the host has less than this many bytes available. */
  minFreeMemoryBytes: number;
}

export interface LabManagerDeps {
  runtime: ContainerRuntime;
  store: LabStore;
  catalog: SandboxCatalog;
  provisioners: Provisioner[];
  limits: LabLimits;
  memory?: HostMemoryProbe;
  clock?: () => Date;
}

/** Hooks the warm pool registers so create() can claim and trigger refills without a dependency cycle. */
export interface PoolHooks {
  claim(template: string, learnerId: string, clientKey?: string): Promise<ReadyLab | undefined>;
}

export class DefaultLabManager implements LabManager {
  readonly runtime: ContainerRuntime;
  readonly store: LabStore;
  readonly catalog: SandboxCatalog;
  readonly limits: LabLimits;
  /**
   * host:pid:instance, recorded on pending labs so a reaper can tell whether their provisioning process is still
   * alive (and, in the same process, whether this manager is the one provisioning them).
   */
  readonly owner = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly provisioners = new Map<string, Provisioner>();
  private readonly memory?: HostMemoryProbe;
  private readonly clock: () => Date;
  private readonly events = new LabEventBus();
  private readonly inflight = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private pool?: PoolHooks;
  /** create() waits for this first (e.g. images still being built at server start). */
  private gate: Promise<void> = Promise.resolve();

  constructor(deps: LabManagerDeps) {
    this.runtime = deps.runtime;
    this.store = deps.store;
    this.catalog = deps.catalog;
    this.limits = deps.limits;
    this.memory = deps.memory;
    this.clock = deps.clock ?? (() => new Date());
    for (const p of deps.provisioners) this.provisioners.set(p.runtime, p);
  }

  attachPool(pool: PoolHooks | undefined): void {
    this.pool = pool;
  }

  /** Makes create() wait until `until` settles (whatever its outcome), e.g. while images are built at start-up. */
  holdCreatesUntil(until: Promise<unknown>): void {
    this.gate = until.then(
      () => undefined,
      () => undefined,
    );
  }

  async create(req: CreateLabRequest): Promise<ReadyLab> {
    const sandbox = this.catalog.get(req.template);
    await this.gate;
    if (req.learnerId === POOL_LEARNER) throw new LabRunnerError('bad-request', `"${POOL_LEARNER}" is reserved for the warm pool; use another learner id.`);
    if (req.usePool !== false && this.pool) {
      const claimed = await this.pool.claim(sandbox.name, req.learnerId, req.clientKey);
      if (claimed) {
        this.emit({ type: 'state', labId: claimed.id, state: 'ready', detail: 'claimed from the warm pool' }, req.onEvent);
        return claimed;
      }
    }
    return this.provisionNew(sandbox, req.learnerId, req.onEvent, req.clientKey);
  }

  /** Cold path: a new lab provisioned for a learner, or for the warm pool (learnerId "pool"). */
  async provisionNew(sandbox: Sandbox, learnerId: string, onEvent?: (e: LabEvent) => void, clientKey?: string): Promise<ReadyLab> {
    const provisioner = this.provisionerFor(sandbox.runtime);
    await this.checkMemory();
    const now = this.clock();
    const lab: PendingLab = {
      id: newLabId(),
      learnerId,
      template: sandbox.name,
      createdAt: now,
      // A pool lab may wait up to one hard expiry, then serve a full one after its claim (see labels below).
      expiresAt: new Date(+now + this.limits.hardExpiryMs),
      lastActiveAt: now,
      state: 'pending',
      progress: { step: 0, totalSteps: 1, label: 'Queued' },
    };
    await this.store.insertPending(lab, { runtime: sandbox.runtime, owner: this.owner, clientKey }, this.limits);
    this.emit({ type: 'state', labId: lab.id, state: 'pending' }, onEvent);
    const labelExpiry =
      learnerId === POOL_LEARNER
        ? new Date(+now + 2 * this.limits.hardExpiryMs)
        : new Date(+now + Math.max(this.limits.maxLifetimeMs ?? 0, this.limits.hardExpiryMs));
    const labels = labLabels({ labId: lab.id, learnerId, template: sandbox.name, expiresAt: labelExpiry, storeId: this.store.storeId });
    const abort = new AbortController();
    const started = performance.now();
    const work = (async () => {
      try {
        const result = await provisioner.provision({
          labId: lab.id,
          sandbox,
          labels,
          signal: abort.signal,
          onProgress: (progress) => {
            void this.store.setProgress(lab.id, progress);
            this.emit({ type: 'progress', labId: lab.id, progress }, onEvent);
          },
        });
        const ready = await this.store.markReady(lab.id, { networkId: result.networkId, targets: result.targets, readyAt: this.clock() });
        if (!ready) throw new LabRunnerError('lab-destroyed', `Lab ${lab.id} was destroyed while it was being created.`);
        log.info('lab ready', { lab: lab.id, template: sandbox.name, learner: learnerId, ms: Math.round(performance.now() - started) });
        this.emit({ type: 'state', labId: lab.id, state: 'ready' }, onEvent);
        return ready;
      } catch (err) {
        const aborted = abort.signal.aborted;
        log.warn('lab creation failed; tearing down', { lab: lab.id, error: (err as Error).message, aborted });
        await provisioner
          .teardown(lab.id)
          .catch((e: Error) => log.error('teardown after failure failed; the reaper will retry', { lab: lab.id, error: e.message }));
        if (aborted) throw new LabRunnerError('lab-destroyed', `Lab ${lab.id} was destroyed while it was being created.`, { cause: err });
        const message = (err as Error).message;
        await this.store.markFailed(lab.id, message);
        this.emit({ type: 'state', labId: lab.id, state: 'failed', detail: message }, onEvent);
        if (err instanceof LabRunnerError) throw err;
        throw new ProvisionError('provision', message, undefined, err);
      }
    })();
    this.inflight.set(lab.id, { abort, done: work });
    try {
      return await work;
    } finally {
      this.inflight.delete(lab.id);
    }
  }

  isProvisioning(labId: string): boolean {
    return this.inflight.has(labId);
  }

  async get(labId: string): Promise<Lab | undefined> {
    return this.store.get(labId);
  }

  async list(filter?: { learnerId?: string; includeDestroyed?: boolean }): Promise<Lab[]> {
    return this.store.list({ learnerId: filter?.learnerId, includeDestroyed: filter?.includeDestroyed });
  }

  exec(labId: string, target: string, opts: ExecOptions): Promise<ExecResult> {
    return this.onTarget(labId, target, (t) => this.runtime.exec(t.containerId, withTargetUser(t, opts)));
  }

  execTty(labId: string, target: string, opts: TtyExecOptions): Promise<TtyExec> {
    return this.onTarget(labId, target, (t) => this.runtime.execTty(t.containerId, withTargetUser(t, opts)));
  }

  execStream(labId: string, target: string, opts: StreamExecOptions): Promise<StreamExec> {
    return this.onTarget(labId, target, (t) => this.runtime.execStream(t.containerId, withTargetUser(t, opts)));
  }

  /** Runs a call on a live target's container; a failure is explained in terms of the lab (node stopped, lab gone). */
  private async onTarget<R>(labId: string, target: string, call: (t: LabTarget) => Promise<R>): Promise<R> {
    const { lab, t } = await this.liveTarget(labId, target);
    try {
      return await call(t);
    } catch (err) {
      throw await this.explainTargetFailure(lab, t, err);
    }
  }

  async touch(labId: string): Promise<void> {
    await this.store.touch(labId, this.clock());
  }

  async pause(labId: string): Promise<void> {
    const lab = await this.require(labId);
    if (lab.state === 'paused') return;
    if (lab.state !== 'ready') throw new LabStateError(labId, lab.state, 'ready');
    await this.provisionerFor(lab.runtime).pause(labId);
    await this.store.markPaused(labId, this.clock());
    this.emit({ type: 'state', labId, state: 'paused' });
  }

  async resume(labId: string): Promise<LiveLab> {
    const lab = await this.require(labId);
    if (lab.state === 'ready') return lab;
    if (lab.state !== 'paused') throw new LabStateError(labId, lab.state, 'paused or ready');
    await this.provisionerFor(lab.runtime).resume(labId);
    await this.store.markResumed(labId);
    this.emit({ type: 'state', labId, state: 'ready', detail: 'resumed' });
    return (await this.require(labId)) as LiveLab;
  }

  /** Recreates a lab's targets from scratch (a node killed by a fork bomb, a config beyond repair). Same lab id. */
  async reset(labId: string): Promise<ReadyLab> {
    const lab = await this.resume(labId);
    const provisioner = this.provisionerFor((lab as LabRecord).runtime);
    if (!provisioner.reset)
      throw new LabRunnerError('unsupported', `Labs of runtime ${(lab as LabRecord).runtime} cannot be reset; destroy it and start a new one.`);
    const sandbox = this.catalog.get(lab.template);
    const labels = labLabels({ labId, learnerId: lab.learnerId, template: lab.template, expiresAt: lab.expiresAt, storeId: this.store.storeId });
    const targets = await provisioner.reset(
      { labId, sandbox, labels, signal: new AbortController().signal, onProgress: (progress) => this.emit({ type: 'progress', labId, progress }) },
      lab.targets,
    );
    await this.store.setTargets(labId, targets);
    await this.store.touch(labId, this.clock());
    this.emit({ type: 'reset', labId });
    return (await this.require(labId)) as ReadyLab;
  }

  async destroy(labId: string, reason: string): Promise<void> {
    const inflight = this.inflight.get(labId);
    if (inflight) {
      inflight.abort.abort(new LabRunnerError('lab-destroyed', `destroyed: ${reason}`));
      await inflight.done.catch(() => undefined);
    }
    const lab = await this.store.get(labId);
    const provisioner = lab ? this.provisioners.get(lab.runtime) : undefined;
    if (provisioner) await provisioner.teardown(labId);
    else await teardownByLabel(this.runtime, { [Labels.labId]: labId });
    if (lab && lab.state !== 'destroyed') {
      await this.store.markDestroyed(labId, reason, this.clock());
      log.info('lab destroyed', { lab: labId, reason });
      this.emit({ type: 'state', labId, state: 'destroyed', detail: reason });
    }
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  emit(event: LabEvent, extra?: (e: LabEvent) => void): void {
    this.events.emit(event, extra);
  }

  async close(): Promise<void> {
    // Labs being created by this process finish (or fail) on their own; we only wait so nothing dangles.
    await Promise.allSettled([...this.inflight.values()].map((i) => i.done));
  }

  provisionerFor(runtime: string): Provisioner {
    const p = this.provisioners.get(runtime);
    if (!p)
      throw new LabRunnerError(
        'unsupported',
        `No provisioner for sandbox runtime "${runtime}" is registered (known: ${[...this.provisioners.keys()].join(', ')}).`,
      );
    return p;
  }

  private async require(labId: string): Promise<LabRecord> {
    const lab = await this.store.get(labId);
    if (!lab || lab.state === 'destroyed') throw new LabNotFoundError(labId);
    return lab;
  }

  private async liveTarget(labId: string, target: string): Promise<{ lab: LiveLab; t: LabTarget }> {
    const record = await this.require(labId);
    if (record.state === 'pending') throw new LabStateError(labId, 'still starting', 'ready');
    if (record.state === 'failed') throw new LabStateError(labId, `failed (${record.error})`, 'ready');
    const lab = record.state === 'paused' ? await this.resume(labId) : (record as LiveLab);
    const t = lab.targets.find((x) => x.name === target);
    if (!t) throw new LabRunnerError('unknown-target', `Lab ${labId} has no target "${target}"; its targets are ${lab.targets.map((x) => x.name).join(', ')}.`);
    return { lab, t };
  }

  /** Turns "container not running/gone" into a message the learner can act on, and tells subscribers. */
  private async explainTargetFailure(lab: LiveLab, t: LabTarget, err: unknown): Promise<unknown> {
    const status = err instanceof DockerCallError ? err.statusCode : undefined;
    if (status !== 404 && status !== 409) return err;
    const info = await this.runtime.inspectContainer(t.containerId).catch(() => undefined);
    if (info?.state === 'running') return err;
    const reason = !info ? 'its container is gone' : `it stopped (exit code ${info.exitCode}${info.oomKilled ? ', out of memory' : ''})`;
    this.emit({ type: 'target-down', labId: lab.id, target: t.name, reason });
    return new LabRunnerError('target-down', `${t.name} in lab ${lab.id} is not running: ${reason}. Reset the lab to get fresh nodes.`, { cause: err });
  }

  private async checkMemory(): Promise<void> {
    if (!this.memory || this.limits.minFreeMemoryBytes <= 0) return;
    const available = await this.memory.availableBytes();
    if (available < this.limits.minFreeMemoryBytes) {
      const mib = (b: number) => Math.round(b / 1024 / 1024);
      throw new CapacityError(
        `The lab host is short of memory (${mib(available)} MiB available, ${mib(this.limits.minFreeMemoryBytes)} MiB kept in reserve by LAB_MIN_FREE_MEMORY_MB). ` +
          `Close labs you are not using, or try again in a few minutes.`,
        'server',
        120,
      );
    }
  }
}

/** The target's own exec user (a kind jumpbox: learner) unless the caller named one. */
function withTargetUser<T extends { user?: string }>(t: LabTarget, opts: T): T {
  return t.user && opts.user === undefined ? { ...opts, user: t.user } : opts;
}
