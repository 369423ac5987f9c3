// Wires the engine together once per process: config -> runtime -> store -> labs (+ terminals, grader).
// server.ts creates one Platform and publishes it through app/_server/platform-handle.ts for route handlers.
// Each capability adds its member here; keep construction cheap and start background work in start().
import type { Config } from '../lib/config.ts';
import { createLogger } from '../lib/log.ts';
import type { LabManager } from './lab/lab-manager.ts';
import { LabLifecycle } from './lab/lab-lifecycle.ts';
import type { TerminalGateway } from './terminal/terminal-gateway.ts';
import type { Grader } from './grader/grader.ts';
import type { ContainerRuntime } from './runtime/container-runtime.ts';
import type { LabStore } from './store/lab-store.ts';
import { openDatabase } from './store/database.ts';
import { SqliteLabStore } from './store/sqlite-lab-store.ts';
import { createLabEngine } from './lab/lab-engine.ts';
import { ensureImages } from './images/ensure-images.ts';
import { createTerminals } from './terminal/create-terminals.ts';
import { createGrader } from './grader/create-grader.ts';
import { LabNetwork } from './network/lab-network.ts';
import { createClassroom } from './classroom/create-classroom.ts';
import type { Classroom } from './classroom/classroom.ts';
import { CheckTrigger } from './grader/command-trigger.ts';
import { createPractice, type Practice } from './practice/create-practice.ts';

export interface Platform {
  config: Config;
  /** The Docker engine behind the labs (only lab-runner/docker/ knows it is Docker). */
  runtime: ContainerRuntime;
  /** Lab records (SQLite under DATA_DIR). */
  store: LabStore;
  labs: LabManager;
  /** Browser terminals: tickets, WebSocket upgrades on /api/terminal, sessions (build with createTerminals in terminal/create-terminals.ts). */
  terminals: TerminalGateway;
  /** Challenges: setup, continuous grading, hints/solutions, progress (build with createGrader in grader/create-grader.ts). */
  grader: Grader;
  /** Reset and stop of a learner's lab: terminals, lab runner and grader told in one order (lab/lab-lifecycle.ts). */
  lifecycle: LabLifecycle;
  /** The lab's network seen from the browser: map, captures, impairments (network/lab-network.ts). */
  network: LabNetwork;
  /** Accounts, classes and the trainer's dashboard (#17; classroom/create-classroom.ts). Inert with AUTH=anonymous. */
  classroom: Classroom;
  /** Practice (#19): time left and Extend, rewind, exams (build with createPractice in practice/create-practice.ts). */
  practice: Practice;
  /** Start background work (reaper, warm pool, grader loops). */
  start(): Promise<void>;
  close(): Promise<void>;
}

const log = createLogger('platform');

/** Builds everything without touching Docker; start() pings the engine (DockerUnavailableError with advice) and begins background work. */
export async function createPlatform(config: Config): Promise<Platform> {
  const db = openDatabase(config.DATA_DIR);
  const store = new SqliteLabStore(db);
  const engine = createLabEngine(config, { store });
  // Instant feedback: a command finishing in a terminal asks the grader for a round (grader/command-trigger.ts).
  const trigger = new CheckTrigger({ run: (labId) => grader.commandFinished(labId) });
  const terminals = createTerminals(config, engine.labs, { onCommandDone: (done) => trigger.commandDone(done) });
  const grader = createGrader({ config, labs: engine.labs, db });
  const network = new LabNetwork(engine.labs);
  const lifecycle = new LabLifecycle({ labs: engine.labs, terminals, grader });
  const classroom = createClassroom({ config, db, labs: engine.labs, lifecycle, store, grader, terminals });
  await classroom.prepare();
  const forgetTrigger = engine.labs.subscribe((e) => {
    if (e.type === 'state' && e.state === 'destroyed') trigger.forget(e.labId);
  });
  const practice = createPractice({ config, store, labs: engine.labs, grader, terminals, db });
  let closed = false;
  return {
    config,
    runtime: engine.runtime,
    store,
    labs: engine.labs,
    terminals,
    grader,
    lifecycle,
    network,
    classroom,
    practice,
    async start() {
      // A provider that cannot be reached is a configuration error: say so loudly at start-up (sign-ins retry it).
      await classroom.identity.checkSso();
      classroom.start();
      await engine.runtime.ping();
      if (config.BUILD_IMAGES_ON_START) {
        // First run: build what the templates need (offline: debootstrap, about a minute). Labs wait for it.
        const building = ensureImages(engine.runtime, { onProgress: (line) => log.info(`images: ${line}`) }).then((reports) => {
          const failed = reports.filter((r) => r.action === 'failed');
          if (failed.length)
            log.error('some images could not be built; labs using them will fail until "npm run images" succeeds', {
              failed: failed.map((r) => `${r.image}: ${r.detail}`).join('; '),
            });
        });
        engine.labs.holdCreatesUntil(building);
        await building.catch((err: Error) => log.error('building images failed; run "npm run images" to see why', { error: err.message }));
      }
      await engine.start();
      log.info('lab runner started', { store: store.storeId, warmPool: JSON.stringify(config.WARM_POOL), reaperEveryMs: config.REAPER_INTERVAL });
    },
    async close() {
      if (closed) return;
      closed = true;
      classroom.close();
      await terminals.close();
      await network.close();
      forgetTrigger();
      practice.close();
      trigger.close();
      await grader.close();
      await engine.close();
      if (db.isOpen) db.close();
    },
  };
}
