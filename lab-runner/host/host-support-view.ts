// The platform's host verdicts as the browser sees them (lab-runner/wire/host-support.ts): GET /api/host and the
// /host page. The kind verdict is cached (host-support-cache.ts); refresh looks again.
import type { Config } from '../../lib/config.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { HostCheckView, HostSupportView } from '../wire/host-support.ts';
import { cachedKindHostSupport, forgetKindHostSupport } from './host-support-cache.ts';
import type { KindHostSupport } from './kind-host-support.ts';

export interface HostSupportDeps {
  runtime: ContainerRuntime;
  config: Pick<Config, 'LAB_RUNTIME'>;
}

export async function kindSupportOf(platform: HostSupportDeps, refresh = false): Promise<KindHostSupport> {
  if (refresh) forgetKindHostSupport();
  return cachedKindHostSupport(platform.runtime, { labRuntime: platform.config.LAB_RUNTIME });
}

/** Every check behind the kind verdict, with its fix (the /host page). */
export async function hostChecks(platform: HostSupportDeps, refresh = false): Promise<HostCheckView[]> {
  return (await kindSupportOf(platform, refresh)).checks;
}

export async function hostSupportView(platform: HostSupportDeps, refresh = false): Promise<HostSupportView> {
  const kind = await kindSupportOf(platform, refresh);
  const engine = kind.checks[0];
  const nodes: HostSupportView['nodes'] =
    engine && engine.status !== 'ok'
      ? { status: 'unavailable', block: { check: engine.name, reason: `${engine.name}: ${engine.detail}`, ...(engine.fix ? { fix: engine.fix } : {}) } }
      : { status: 'ready' };
  return {
    nodes,
    kind: kind.status === 'ready' ? { status: 'ready', lessons: kind.lessons } : { status: 'unavailable', block: kind.block, lessons: kind.lessons },
  };
}
