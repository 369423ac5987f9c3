// The host verdict is looked up once and kept: it takes a probe container and rarely changes (a reboot into cgroup
// v2, a new engine). Kept on globalThis because Next bundles each route handler with its own module instances.
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { kindHostSupport, type KindHostSupport, type KindSupportOptions } from './kind-host-support.ts';

export const HOST_SUPPORT_TTL_MS = 10 * 60_000;

const KEY = Symbol.for('packetwalk.kind-host-support');
type Entry = { at: number; value: Promise<KindHostSupport> };
type Holder = { [KEY]?: Entry };

export function cachedKindHostSupport(runtime: ContainerRuntime, o: KindSupportOptions = {}, now = Date.now()): Promise<KindHostSupport> {
  const holder = globalThis as Holder;
  const hit = holder[KEY];
  if (hit && now - hit.at < HOST_SUPPORT_TTL_MS) return hit.value;
  const value = kindHostSupport(runtime, o);
  holder[KEY] = { at: now, value };
  // A failed look-up is not kept: the next request tries again.
  value.catch(() => {
    if (holder[KEY]?.value === value) delete holder[KEY];
  });
  return value;
}

export function forgetKindHostSupport(): void {
  delete (globalThis as Holder)[KEY];
}
