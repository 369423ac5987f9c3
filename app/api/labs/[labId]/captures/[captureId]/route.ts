// GET /api/labs/:labId/captures/:captureId — the capture's state; DELETE — stop it and remove its files.
import { apiRoute, json } from '../../../../_lib/api-route.ts';
import { ownLab } from '../../../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ labId: string; captureId: string }> };

export async function GET(request: Request, { params }: Params): Promise<Response> {
  const { labId, captureId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    return json({ capture: ctx.platform.network.captureView(labId, captureId) });
  });
}

export async function DELETE(request: Request, { params }: Params): Promise<Response> {
  const { labId, captureId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    await ctx.platform.network.discardCapture(labId, captureId);
    return json({ ok: true });
  });
}
