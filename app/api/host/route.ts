// GET /api/host: can this server run the labs' runtimes (HostSupportView)? The catalog and lesson pages are static;
// they ask here to mark, before Start, the lessons this host cannot run. The kind verdict is cached for ten minutes
// (lab-runner/host/host-support-cache.ts); ?refresh=1 looks again (the /host page's "Check again").
import { getPlatform, getPlatformUnavailableReason } from '../../_server/platform-handle.ts';
import { hostSupportSchema, type HostSupportView } from '../../../lib/host/host-support-view.ts';
import { hostSupportView } from './host-support.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const refresh = new URL(request.url).searchParams.get('refresh') === '1';
  let view: HostSupportView;
  try {
    view = await hostSupportView(getPlatform(), refresh);
  } catch {
    const reason = getPlatformUnavailableReason() ?? 'the lab platform is not running on this server';
    view = { nodes: { status: 'unavailable', block: { check: 'Docker reachable', reason: `Labs: ${reason.split('\n')[0]}` } }, kind: { status: 'unknown', reason } };
  }
  return Response.json(hostSupportSchema.parse(view), { headers: { 'cache-control': 'no-store' } });
}
