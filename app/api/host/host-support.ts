// The platform's host verdicts as the browser sees them (lib/host/host-support-view.ts).
import type { Platform } from '../../../lab-runner/platform.ts';
import { cachedKindHostSupport, forgetKindHostSupport } from '../../../lab-runner/host/host-support-cache.ts';
import type { KindHostSupport } from '../../../lab-runner/host/kind-host-support.ts';
import type { HostSupportView } from '../../../lib/host/host-support-view.ts';

export async function kindSupportOf(platform: Platform, refresh = false): Promise<KindHostSupport> {
  if (refresh) forgetKindHostSupport();
  return cachedKindHostSupport(platform.runtime, { labRuntime: platform.config.LAB_RUNTIME });
}

export async function hostSupportView(platform: Platform, refresh = false): Promise<HostSupportView> {
  const kind = await kindSupportOf(platform, refresh);
  const engine = kind.checks[0];
  const nodes: HostSupportView['nodes'] =
    engine && engine.status !== 'ok' ? { status: 'unavailable', block: { check: engine.name, reason: `${engine.name}: ${engine.detail}`, ...(engine.fix ? { fix: engine.fix } : {}) } } : { status: 'ready' };
  return { nodes, kind: kind.status === 'ready' ? { status: 'ready', lessons: kind.lessons } : { status: 'unavailable', block: kind.block, lessons: kind.lessons } };
}
