// POST /api/labs/:labId/captures/:captureId/stop — stops the capture; its pcapng stays downloadable.
import { apiRoute, json } from '../../../../../_lib/api-route.ts';
import { ownLab } from '../../../../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string; captureId: string }> }): Promise<Response> {
  const { labId, captureId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    return json({ capture: await ctx.platform.network.stopCapture(labId, captureId) });
  });
}
