// The lab engine as the CLI uses it: same store (DATA_DIR) and Docker host as the server, but no warm-pool
// refills in the background (a CLI process should exit as soon as its command is done; claims still work).
import { loadConfig } from '../../lib/config.ts';
import { setLogLevel } from '../../lib/log.ts';
import { createLabEngine, type LabEngine } from '../lab/lab-engine.ts';

export function openCliEngine(): LabEngine {
  const config = loadConfig();
  if (!process.env.LOG_LEVEL) setLogLevel('warn');
  return createLabEngine({ ...config, WARM_POOL: {} });
}

export async function withEngine<T>(fn: (engine: LabEngine) => Promise<T>): Promise<T> {
  const engine = openCliEngine();
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}
