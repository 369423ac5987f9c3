// Assembles the lab runner from configuration: Docker runtime -> store -> provisioners -> lab manager -> warm pool
// and reaper. The server (via platform.ts), the CLI, the tests and the benchmarks all build it this way.
import type { Config } from '../../lib/config.ts';
import { setDockerCallDeadline } from '../docker/docker-call.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { apparmorProfileLoaded } from '../isolation/apparmor-profile.ts';
import { deploymentOf, IsolationPolicy, type IsolationPolicyInput } from '../isolation/isolation-policy.ts';
import { SubnetAllocator } from '../nodes/subnet-allocator.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { SandboxCatalog } from '../../course/sandbox/sandbox-catalog.ts';
import { DEFAULT_SANDBOXES_DIR } from '../../course/sandbox/sandboxes-dir.ts';
import { sandboxMemoryBudget } from '../../course/sandbox/sandbox-targets.ts';
import type { LabStore } from '../store/lab-store.ts';
import { SqliteLabStore } from '../store/sqlite-lab-store.ts';
import { isLocalDockerHost, LocalMemoryProbe, RemoteEngineMemoryProbe, type HostMemoryProbe } from './host-memory.ts';
import { DefaultLabManager } from './lab-manager-impl.ts';
import { createProvisioners } from './provisioners.ts';
import { Reaper } from './reaper.ts';
import { WarmPool } from './warm-pool.ts';

export type LabEngineConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'LAB_MAX_TOTAL'
  | 'LAB_MAX_PER_LEARNER'
  | 'LAB_MAX_PER_CLIENT'
  | 'LAB_RESERVED_SLOTS'
  | 'LAB_HARD_EXPIRY'
  | 'LAB_IDLE_PAUSE'
  | 'LAB_IDLE_DESTROY'
  | 'LAB_MAX_LIFETIME'
  | 'LAB_MIN_FREE_MEMORY_MB'
  | 'WARM_POOL'
  | 'REAPER_INTERVAL'
  | 'LAB_RUNTIME'
  | 'LAB_ISOLATION'
  | 'LAB_DISK_LIMIT'
  | 'DOCKER_CALL_TIMEOUT'
  | 'HOST'
  | 'LAB_SUBNET_POOL'
  | 'LAB_SUBNET_PREFIX'
>;

export interface LabEngine {
  runtime: ContainerRuntime;
  store: LabStore;
  catalog: SandboxCatalog;
  labs: DefaultLabManager;
  pool: WarmPool;
  reaper: Reaper;
  /** Reconcile once, then start the reaper timer and fill the warm pool in the background. */
  start(): Promise<void>;
  /** Stop background work, destroy this process's unclaimed warm-pool labs, close the store. Learners' labs keep running: they belong to the store. */
  close(): Promise<void>;
}

export interface LabEngineOverrides {
  runtime?: ContainerRuntime;
  store?: LabStore;
  catalog?: SandboxCatalog;
  memory?: HostMemoryProbe;
  clock?: () => Date;
  isolation?: IsolationPolicy;
}

export function isolationInput(runtime: ContainerRuntime, config: Pick<Config, 'HOST' | 'LAB_ISOLATION' | 'LAB_RUNTIME'>): IsolationPolicyInput {
  return {
    runtime,
    setting: config.LAB_ISOLATION,
    deployment: deploymentOf({ host: config.HOST }),
    labRuntime: config.LAB_RUNTIME,
    profileLoaded: () => apparmorProfileLoaded(isLocalDockerHost()),
  };
}

export function isolationPolicyFor(runtime: ContainerRuntime, config: Pick<Config, 'HOST' | 'LAB_ISOLATION' | 'LAB_RUNTIME'>): IsolationPolicy {
  return new IsolationPolicy(isolationInput(runtime, config));
}

export function createLabEngine(config: LabEngineConfig, o: LabEngineOverrides = {}): LabEngine {
  setDockerCallDeadline(config.DOCKER_CALL_TIMEOUT);
  const runtime = o.runtime ?? new DockerRuntime();
  const store = o.store ?? new SqliteLabStore(config.DATA_DIR);
  const catalog = o.catalog ?? new SandboxCatalog(DEFAULT_SANDBOXES_DIR);
  const subnets = config.LAB_SUBNET_POOL === 'docker' ? undefined : new SubnetAllocator(runtime, config.LAB_SUBNET_POOL, config.LAB_SUBNET_PREFIX);
  const labs = new DefaultLabManager({
    runtime,
    store,
    catalog,
    provisioners: createProvisioners({
      runtime,
      containerRuntime: config.LAB_RUNTIME,
      subnets,
      isolation: o.isolation ?? isolationPolicyFor(runtime, config),
      diskLimitBytes: config.LAB_DISK_LIMIT,
    }),
    limits: {
      maxTotal: config.LAB_MAX_TOTAL,
      maxPerLearner: config.LAB_MAX_PER_LEARNER,
      ...clientCaps(config),
      hardExpiryMs: config.LAB_HARD_EXPIRY,
      maxLifetimeMs: config.LAB_MAX_LIFETIME,
      minFreeMemoryBytes: config.LAB_MIN_FREE_MEMORY_MB * 1024 * 1024,
    },
    memory: o.memory ?? (isLocalDockerHost() ? new LocalMemoryProbe() : new RemoteEngineMemoryProbe(runtime, () => committedMemory(store, catalog))),
    clock: o.clock,
  });
  const pool = new WarmPool({ labs, store, catalog, targets: config.WARM_POOL, clock: o.clock });
  labs.attachPool(pool);
  const reaper = new Reaper({
    runtime,
    store,
    labs,
    idlePauseMs: config.LAB_IDLE_PAUSE,
    idleDestroyMs: config.LAB_IDLE_DESTROY,
    clock: o.clock,
    afterPass: () => pool.refillAll(),
  });
  return {
    runtime,
    store,
    catalog,
    labs,
    pool,
    reaper,
    async start() {
      await reaper.runOnce();
      reaper.start(config.REAPER_INTERVAL);
      pool.refillAll();
    },
    async close() {
      reaper.stop();
      await pool.drain().catch(() => pool.stop());
      await labs.close();
      await store.close();
    },
  };
}

/** Sum of the memory limits of every live lab (remote engines, where /proc/meminfo is out of reach). */
async function committedMemory(store: LabStore, catalog: SandboxCatalog): Promise<number> {
  let sum = 0;
  for (const lab of await store.listLive()) {
    try {
      sum += sandboxMemoryBudget(catalog.get(lab.template));
    } catch {
      // A template deleted since: count nothing rather than block every new lab.
    }
  }
  return sum;
}

/** Per-client caps, with defaults that scale with the server: half the slots per client, the last tenth kept for newcomers. */
export function clientCaps(config: Pick<Config, 'LAB_MAX_TOTAL' | 'LAB_MAX_PER_CLIENT' | 'LAB_RESERVED_SLOTS'>): {
  maxPerClient: number;
  reservedSlots: number;
} {
  return {
    maxPerClient: config.LAB_MAX_PER_CLIENT ?? Math.max(1, Math.ceil(config.LAB_MAX_TOTAL / 2)),
    reservedSlots: config.LAB_RESERVED_SLOTS ?? Math.max(1, Math.floor(config.LAB_MAX_TOTAL / 10)),
  };
}
