// GET /api/labs/:labId/map[?routes=1] — the lab's network as it is now (nodes, namespaces, interfaces, cables,
// tunnels, DNAT services): one exec per node. A paused lab answers 409 (reading it would wake it).
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { ownLab } from '../../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    const routes = new URL(request.url).searchParams.get('routes') === '1';
    return json({ map: await ctx.platform.network.map(labId, { routes }) });
  });
}
