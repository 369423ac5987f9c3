// GET /api/labs/:labId/time — how long the lab has left ({ time: LabTimeView }): live (ends at, by expiry or idle,
// warn from), pending, or gone (why: expired, idle, stopped, failed). Gone labs answer too, so the page can say what
// happened and offer rewind.
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { validLabId } from '../../_lib/practice-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => json({ time: await ctx.platform.practice.time.time(validLabId(labId), ctx.learner.id) }));
}
