// GET /api/host: can this server run the labs' runtimes (HostSupportView)? The catalog and lesson pages are static;
// they ask here to mark, before Start, the lessons this host cannot run. The kind verdict is cached for ten minutes
// (lab-runner/host/host-support-cache.ts); ?refresh=1 looks again (the /host page's "Check again").
import { getPlatform, getPlatformUnavailableReason } from '../../_server/platform-handle.ts';
import { hostSupportView } from '../../../lab-runner/index.ts';
import type { HostSupportView } from '../../../lab-runner/wire/host-support.ts';
import { answerErrors, json } from '../_lib/api-route.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return answerErrors(async () => {
    const refresh = new URL(request.url).searchParams.get('refresh') === '1';
    let view: HostSupportView;
    try {
      view = await hostSupportView(getPlatform(), refresh);
    } catch {
      // No platform (Docker down at start) or no verdict: say so, so the pages mark nothing as runnable.
      const reason = getPlatformUnavailableReason() ?? 'the lab platform is not running on this server';
      view = {
        nodes: { status: 'unavailable', block: { check: 'Docker reachable', reason: `Labs: ${reason.split('\n')[0]}` } },
        kind: { status: 'unknown', reason },
      };
    }
    return json(view); // the browser checks it against hostSupportSchema (use-host-support.ts)
  });
}
