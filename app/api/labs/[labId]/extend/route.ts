// POST /api/labs/:labId/extend — Extend: the lab counts as active now and its hard expiry moves to now +
// LAB_HARD_EXPIRY, never past creation + LAB_MAX_LIFETIME. Answers { time: LabTimeView }.
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { validLabId } from '../../_lib/practice-http.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => json({ time: await ctx.platform.practice.time.extend(validLabId(labId), ctx.learner.id) }));
}
