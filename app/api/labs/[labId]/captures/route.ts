// POST /api/labs/:labId/captures { target, ns?, iface, filter? } — starts a packet capture (one per lab; a new one
// replaces the previous). The filter is compiled in the lab first: a bad one answers 422 with pcap's message.
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { readBody } from '../../../_lib/read-request.ts';
import { ownLab } from '../../_lib/lab-http.ts';
import { captureRequest } from '../../../../../lab-runner/wire/network-requests.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, captureRequest);
    await ownLab(ctx, labId);
    return json({ capture: await ctx.platform.network.startCapture(labId, body) }, 201);
  });
}
