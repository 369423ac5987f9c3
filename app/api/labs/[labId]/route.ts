// /api/labs/:labId
//   GET     the lab ({ lab: LabView }), 404 if unknown, 403 if another learner's.
//   DELETE  stop (platform.lifecycle.stop: ends its terminals, destroys the lab): { lab: null }.
import { toLabView } from '../../../../lab-runner/index.ts';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { ownLab } from '../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ labId: string }> };

export async function GET(request: Request, { params }: Ctx): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => json({ lab: toLabView(await ownLab(ctx, labId)) }));
}

export async function DELETE(request: Request, { params }: Ctx): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    await ctx.platform.lifecycle.stop(labId);
    return json({ lab: null });
  });
}
