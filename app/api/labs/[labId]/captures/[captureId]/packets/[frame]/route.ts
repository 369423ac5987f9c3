// GET /api/labs/:labId/captures/:captureId/packets/:frame — one packet's layer tree (tshark -T json).
import { apiRoute, json } from '../../../../../../_lib/api-route.ts';
import { ownLab } from '../../../../../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ labId: string; captureId: string; frame: string }> }): Promise<Response> {
  const { labId, captureId, frame } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    return json({ packet: await ctx.platform.network.packetDetail(labId, captureId, /^\d{1,9}$/.test(frame) ? Number(frame) : NaN) });
  });
}
