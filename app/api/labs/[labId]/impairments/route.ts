// POST /api/labs/:labId/impairments { target, ns?, iface, delayMs?, lossPercent?, rateKbit? } — tc netem/tbf on an
// interface; DELETE with { target, ns?, iface } removes it. A lab reset removes every impairment (fresh nodes).
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { readBody } from '../../../_lib/read-request.ts';
import { ownLab } from '../../_lib/lab-http.ts';
import { captureRequest, impairmentRequest } from '../../../../../lab-runner/wire/network-requests.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, impairmentRequest);
    await ownLab(ctx, labId);
    await ctx.platform.network.impair(labId, body);
    return json({ ok: true });
  });
}

export async function DELETE(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, captureRequest.pick({ target: true, ns: true, iface: true }));
    await ownLab(ctx, labId);
    await ctx.platform.network.clearImpairment(labId, body);
    return json({ ok: true });
  });
}
