// The practice services (#19) as the Platform builds them: the lab's time left and Extend, rewind, exams.
//   const practice = createPractice({ config, store });   // in createPlatform, as platform.practice
import type { Config } from '../../lib/config.ts';
import type { LabStore } from '../store/lab-store.ts';
import { LabTimeService } from './lab-time.ts';

export interface Practice {
  /** Time left on a lab, and Extend. */
  time: LabTimeService;
}

export function createPractice(deps: { config: Pick<Config, 'LAB_HARD_EXPIRY' | 'LAB_MAX_LIFETIME' | 'LAB_IDLE_DESTROY'>; store: LabStore }): Practice {
  const { config } = deps;
  return {
    time: new LabTimeService({
      store: deps.store,
      limits: { hardExpiryMs: config.LAB_HARD_EXPIRY, maxLifetimeMs: config.LAB_MAX_LIFETIME, idleDestroyMs: config.LAB_IDLE_DESTROY },
    }),
  };
}
