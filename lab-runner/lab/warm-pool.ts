// Keeps N ready labs per template (WARM_POOL, e.g. "nodes-2=1") so a learner gets one in milliseconds.
// A claim is one store transaction that hands the oldest ready pool lab to the learner (Docker labels cannot be
// changed, so its containers keep learner-id=pool: the store record is the truth). Refills run in the background,
// one lab at a time per template, and back off after a failure.
import { createLogger } from '../../lib/log.ts';
import { POOL_LEARNER } from '../labels.ts';
import type { SandboxCatalog } from '../../course/sandbox/sandbox-catalog.ts';
import type { LabStore } from '../store/lab-store.ts';
import type { ReadyLab } from './lab.ts';
import type { DefaultLabManager, PoolHooks } from './lab-manager-impl.ts';

const log = createLogger('warm-pool');
const FAILURE_BACKOFF_MS = 30_000;

export interface WarmPoolDeps {
  labs: DefaultLabManager;
  store: LabStore;
  catalog: SandboxCatalog;
  /** Template -> number of ready labs to keep. */
  targets: Record<string, number>;
  clock?: () => Date;
}

export class WarmPool implements PoolHooks {
  private readonly deps: WarmPoolDeps;
  private readonly clock: () => Date;
  private readonly refilling = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly failedAt = new Map<string, number>();
  private stopped = false;

  constructor(deps: WarmPoolDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? (() => new Date());
  }

  target(template: string): number {
    return this.deps.targets[template] ?? 0;
  }

  async claim(template: string, learnerId: string, clientKey?: string): Promise<ReadyLab | undefined> {
    if (this.stopped && this.target(template) > 0) return undefined; // draining: these labs are about to go
    if (this.target(template) === 0 && !(await this.hasReady(template))) return undefined;
    const { labs, store } = this.deps;
    for (;;) {
      const now = this.clock();
      const { maxTotal, maxPerLearner, maxPerClient, reservedSlots } = labs.limits;
      const client = clientKey ? { clientKey, maxTotal, maxPerClient: maxPerClient ?? maxTotal, reservedSlots: reservedSlots ?? 0 } : undefined;
      const lab = await store.claimPoolLab(template, learnerId, now, new Date(+now + labs.limits.hardExpiryMs), maxPerLearner, client);
      if (!lab || lab.state !== 'ready') {
        this.refill(template);
        return undefined;
      }
      // Cheap liveness check (one inspect per target, concurrently): a pool lab whose node died is no use.
      const infos = await Promise.all(lab.targets.map((t) => labs.runtime.inspectContainer(t.containerId)));
      let usable = infos.every((i) => i?.state === 'running');
      if (usable) {
        try {
          // Runtime-specific hand-over, e.g. kind issues credentials for the new owner.
          await labs.provisionerFor(lab.runtime).claim?.(lab.id, lab.expiresAt);
        } catch (err) {
          log.warn('warm lab could not be handed over', { lab: lab.id, error: (err as Error).message });
          usable = false;
        }
      }
      if (usable) {
        log.info('claimed warm lab', { lab: lab.id, template, learner: learnerId });
        this.refill(template);
        return lab;
      }
      log.warn('warm lab was not usable; discarding it', { lab: lab.id });
      void labs.destroy(lab.id, 'warm-pool lab unusable at claim').catch(() => undefined);
    }
  }

  /** Starts refills for every configured template (no-op for those already full or refilling). */
  refillAll(): void {
    for (const t of Object.keys(this.deps.targets)) this.refill(t);
  }

  /** Background refill of one template; concurrent calls coalesce. */
  refill(template: string): void {
    if (this.stopped || this.target(template) === 0) return;
    if (this.refilling.has(template)) {
      this.again.add(template);
      return;
    }
    const failed = this.failedAt.get(template);
    if (failed !== undefined && Date.now() - failed < FAILURE_BACKOFF_MS) return;
    const run = this.fill(template).finally(() => {
      this.refilling.delete(template);
      if (this.again.delete(template)) this.refill(template);
    });
    this.refilling.set(template, run);
  }

  /** Resolves once no refill is running (tests, benchmarks). */
  async settled(): Promise<void> {
    while (this.refilling.size) await Promise.allSettled([...this.refilling.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.settled();
  }

  /**
   * Stops refilling and destroys the unclaimed labs of this pool's templates. Called when the server stops: warm labs
   * hold no learner state, re-creating them takes about a second each, and a restarted server (perhaps with rebuilt
   * images) should not hand out labs made by its predecessor. Processes without a pool (the CLI) drain nothing.
   */
  async drain(): Promise<number> {
    await this.stop();
    let n = 0;
    for (const [template, want] of Object.entries(this.deps.targets)) {
      if (want === 0) continue;
      const labs = await this.deps.store.list({ learnerId: POOL_LEARNER, template, states: ['pending', 'ready', 'paused'] });
      await Promise.all(labs.map((l) => this.deps.labs.destroy(l.id, 'warm pool drained at shutdown')));
      n += labs.length;
    }
    if (n) log.info('drained warm pool', { labs: n });
    return n;
  }

  private async hasReady(template: string): Promise<boolean> {
    return (await this.deps.store.list({ learnerId: POOL_LEARNER, template, states: ['ready'] })).length > 0;
  }

  private async fill(template: string): Promise<void> {
    try {
      const sandbox = this.deps.catalog.get(template);
      for (;;) {
        if (this.stopped) return;
        const have = (await this.deps.store.list({ learnerId: POOL_LEARNER, template, states: ['pending', 'ready'] })).length;
        if (have >= this.target(template)) return;
        log.info('provisioning a warm lab', { template, have, want: this.target(template) });
        await this.deps.labs.provisionNew(sandbox, POOL_LEARNER);
        this.failedAt.delete(template);
      }
    } catch (err) {
      this.failedAt.set(template, Date.now());
      log.warn('warm-pool refill failed; retrying later', { template, error: (err as Error).message });
    }
  }
}
