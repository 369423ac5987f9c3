// Reconciles Docker with the store, on start-up and every REAPER_INTERVAL:
//  - our store's objects (label store-id) with no record, or whose record is destroyed/failed: removed;
//  - pending labs whose provisioning process is gone (crash, SIGKILL) or overdue: failed and removed;
//  - live labs past their hard expiry, or idle past LAB_IDLE_DESTROY: destroyed; idle past LAB_IDLE_PAUSE: paused;
//  - live labs whose containers vanished: recorded as destroyed; whose nodes stopped: "target-down" events;
//  - other stores' objects (tests, another server on the same engine): removed only once their expires-at passed;
//  - host firewall rules of lab bridges that no longer exist (whoever removed them): deleted by the host agent.
// Warm-pool labs are never paused or idle-destroyed (claims must be instant); they expire like any lab.
import os from 'node:os';
import { createLogger } from '../../lib/log.ts';
import { hostAgentFor, type HostAgent } from '../host-agent/host-agent.ts';
import { kindNodesGone } from '../kind/cluster-remnants.ts';
import { Labels, POOL_LEARNER } from '../labels.ts';
import type { ContainerInfo, ContainerRuntime, NetworkInfo } from '../runtime/container-runtime.ts';
import type { LabRecord, LabStore } from '../store/lab-store.ts';
import type { DefaultLabManager } from './lab-manager-impl.ts';
import { teardownByLabel } from './teardown-by-label.ts';

const log = createLogger('reaper');

export interface ReaperDeps {
  runtime: ContainerRuntime;
  store: LabStore;
  labs: DefaultLabManager;
  idlePauseMs: number;
  idleDestroyMs: number;
  /** A pending lab older than this is abandoned even if its owner looks alive (default 10 min). */
  provisionDeadlineMs?: number;
  /** Destroyed/failed records are kept this long for history (default 7 days). */
  historyMs?: number;
  clock?: () => Date;
  afterPass?: () => void;
  /** Deletes rules of vanished lab bridges; default the runtime's shared agent. */
  hostAgent?: HostAgent;
}

export interface ReaperReport {
  orphansRemoved: string[];
  abandonedPending: string[];
  expired: string[];
  idleDestroyed: string[];
  paused: string[];
  vanished: string[];
  targetsDown: string[];
  foreignExpiredRemoved: string[];
  /** "<bridge> (<lab id>)" of host firewall rules whose lab bridge was gone. */
  staleRulesRemoved: string[];
  errors: string[];
}

/** True when owner ("host:pid" or "host:pid:instance") is a process on this host that no longer exists. */
export function ownerIsDead(owner: string, selfPid = process.pid): boolean {
  const m = /^(.*?):(\d+)(?::[0-9a-f]+)?$/.exec(owner);
  if (!m) return false;
  const host = m[1];
  const pid = Number(m[2]);
  if (host !== os.hostname()) return false;
  if (pid === selfPid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class Reaper {
  private readonly d: ReaperDeps;
  private readonly clock: () => Date;
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReaperReport>;
  /** Targets already reported down, so each outage is announced once. */
  private readonly reportedDown = new Set<string>();

  constructor(deps: ReaperDeps) {
    this.d = deps;
    this.clock = deps.clock ?? (() => new Date());
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.runOnce().catch((err) => log.error('reaper pass failed', { error: (err as Error).message })), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One reconciliation pass; concurrent calls share the pass in progress. */
  runOnce(): Promise<ReaperReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
      this.d.afterPass?.();
    });
    return this.running;
  }

  private async pass(): Promise<ReaperReport> {
    const { runtime, store, labs } = this.d;
    const now = this.clock();
    const report: ReaperReport = {
      orphansRemoved: [],
      abandonedPending: [],
      expired: [],
      idleDestroyed: [],
      paused: [],
      vanished: [],
      targetsDown: [],
      foreignExpiredRemoved: [],
      staleRulesRemoved: [],
      errors: [],
    };
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        report.errors.push(`${what}: ${(err as Error).message}`);
        log.warn('reaper step failed', { what, error: (err as Error).message });
      }
    };

    const [containers, networks] = await Promise.all([
      runtime.listContainers({ [Labels.managed]: 'true' }),
      runtime.listNetworks({ [Labels.managed]: 'true' }),
    ]);
    const byLab = groupByLab(containers, networks);

    // 1. Docker objects, lab by lab.
    for (const [labId, objs] of byLab) {
      const labels = objs.labels;
      if (labels[Labels.storeId] !== store.storeId) {
        const expiresAt = Date.parse(labels[Labels.expiresAt] ?? '');
        if (Number.isFinite(expiresAt) && expiresAt < +now) {
          await attempt(`remove expired foreign lab ${labId}`, () => teardownByLabel(runtime, { [Labels.labId]: labId }));
          report.foreignExpiredRemoved.push(labId);
        }
        continue;
      }
      const rec = await store.get(labId);
      if (!rec || rec.state === 'destroyed' || rec.state === 'failed') {
        await attempt(`remove orphan ${labId}`, () => teardownByLabel(runtime, { [Labels.labId]: labId }));
        report.orphansRemoved.push(labId);
      }
    }

    // 2. Records that may hold containers.
    for (const rec of await store.listLive()) {
      if (rec.state === 'pending') {
        if (labs.isProvisioning(rec.id)) continue;
        const overdue = +now - +rec.createdAt > (this.d.provisionDeadlineMs ?? 10 * 60_000);
        const mine = rec.owner === labs.owner;
        if (mine || overdue || ownerIsDead(rec.owner)) {
          await attempt(`abandon pending ${rec.id}`, async () => {
            await store.markFailed(rec.id, mine ? 'provisioning was interrupted' : overdue ? 'provisioning overdue' : `provisioning process ${rec.owner} died`);
            await teardownByLabel(runtime, { [Labels.labId]: rec.id });
          });
          report.abandonedPending.push(rec.id);
        }
        continue;
      }
      if (+rec.expiresAt <= +now) {
        await attempt(`destroy expired ${rec.id}`, () => labs.destroy(rec.id, 'expired'));
        report.expired.push(rec.id);
        continue;
      }
      const objs = byLab.get(rec.id);
      if (!objs || objs.containers.length === 0) {
        await attempt(`record vanished ${rec.id}`, () => labs.destroy(rec.id, 'its containers disappeared'));
        report.vanished.push(rec.id);
        continue;
      }
      // `kind delete cluster` took the nodes; the jumpbox, toolboxes and network go with them in this same pass.
      if (kindNodesGone(rec.runtime, objs.containers)) {
        await attempt(`record vanished ${rec.id}`, () => labs.destroy(rec.id, 'its kind nodes were deleted'));
        report.vanished.push(rec.id);
        continue;
      }
      await this.reportStoppedTargets(rec, objs.containers, report);
      if (rec.learnerId === POOL_LEARNER) continue;
      const idle = +now - +rec.lastActiveAt;
      if (idle >= this.d.idleDestroyMs) {
        await attempt(`destroy idle ${rec.id}`, () => labs.destroy(rec.id, 'idle'));
        report.idleDestroyed.push(rec.id);
      } else if (rec.state === 'ready' && idle >= this.d.idlePauseMs) {
        await attempt(`pause idle ${rec.id}`, () => labs.pause(rec.id));
        report.paused.push(rec.id);
      }
    }

    // 3. Host rules last, so labs removed above are covered. Rules of any store: a rule without its bridge is useless.
    await attempt('sweep stale host rules', async () => {
      const removed = await (this.d.hostAgent ?? hostAgentFor(runtime)).sweepStaleRules();
      report.staleRulesRemoved.push(...removed.map((r) => `${r.bridge} (${r.labId})`));
    });
    await attempt('purge history', () => store.purgeBefore(new Date(+now - (this.d.historyMs ?? 7 * 24 * 3600_000))));
    const acted = Object.values(report).some((v) => v.length > 0);
    if (acted) log.info('reaper pass', Object.fromEntries(Object.entries(report).filter(([, v]) => v.length > 0)));
    return report;
  }

  private async reportStoppedTargets(rec: LabRecord, containers: ContainerInfo[], report: ReaperReport): Promise<void> {
    if (rec.state !== 'ready' && rec.state !== 'paused') return;
    for (const t of rec.targets) {
      const key = `${rec.id}/${t.name}/${t.containerId}`;
      const c = containers.find((x) => x.id === t.containerId);
      const down = !c || (c.state !== 'running' && c.state !== 'paused');
      if (!down) {
        this.reportedDown.delete(key);
        continue;
      }
      if (this.reportedDown.has(key)) continue;
      this.reportedDown.add(key);
      const info = c ? await this.d.runtime.inspectContainer(c.id) : undefined;
      const reason = !c ? 'its container is gone' : `it stopped (exit code ${info?.exitCode ?? '?'}${info?.oomKilled ? ', out of memory' : ''})`;
      this.d.labs.emit({ type: 'target-down', labId: rec.id, target: t.name, reason });
      report.targetsDown.push(`${rec.id}/${t.name}`);
    }
  }
}

interface LabObjects {
  containers: ContainerInfo[];
  networks: NetworkInfo[];
  labels: Record<string, string>;
}

function groupByLab(containers: ContainerInfo[], networks: NetworkInfo[]): Map<string, LabObjects> {
  const map = new Map<string, LabObjects>();
  const entry = (labels: Record<string, string>) => {
    const id = labels[Labels.labId];
    if (!id) return undefined;
    let e = map.get(id);
    if (!e) map.set(id, (e = { containers: [], networks: [], labels }));
    return e;
  };
  for (const c of containers) entry(c.labels)?.containers.push(c);
  for (const n of networks) entry(n.labels)?.networks.push(n);
  return map;
}
