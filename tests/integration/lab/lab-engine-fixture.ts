// A real lab engine for integration tests: real Docker, real SQLite in a temporary DATA_DIR (so its store id, and
// therefore its labels, are its own), no warm pool unless asked. cleanup() removes everything the store labelled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../lib/config.ts';
import { Labels } from '../../../lab-runner/labels.ts';
import { createLabEngine, type LabEngine, type LabEngineConfig, type LabEngineOverrides } from '../../../lab-runner/lab/lab-engine.ts';
import { teardownByLabel } from '../../../lab-runner/lab/teardown-by-label.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';

export interface TestEngine {
  engine: LabEngine;
  dataDir: string;
  config: LabEngineConfig;
  /** Containers and networks carrying this store's id. */
  labelled(): Promise<{ containers: string[]; networks: string[] }>;
  cleanup(): Promise<void>;
}

export function baseTestConfig(dataDir: string, overrides: Partial<LabEngineConfig> = {}): LabEngineConfig {
  return { ...loadConfig({ DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv), WARM_POOL: {}, LAB_MAX_TOTAL: 100, LAB_MAX_PER_LEARNER: 50, ...overrides };
}

export async function labelledBy(runtime: ContainerRuntime, storeId: string): Promise<{ containers: string[]; networks: string[] }> {
  const filter = { [Labels.storeId]: storeId };
  const [c, n] = await Promise.all([runtime.listContainers(filter), runtime.listNetworks(filter)]);
  return { containers: c.map((x) => x.name), networks: n.map((x) => x.name) };
}

export function makeTestEngine(overrides: Partial<LabEngineConfig> = {}, o: LabEngineOverrides = {}, dataDir?: string): TestEngine {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pw-labs-'));
  const config = baseTestConfig(dir, overrides);
  const engine = createLabEngine(config, o);
  return {
    engine,
    dataDir: dir,
    config,
    labelled: () => labelledBy(engine.runtime, engine.store.storeId),
    async cleanup() {
      await engine.pool.stop();
      await teardownByLabel(engine.runtime, { [Labels.storeId]: engine.store.storeId });
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
