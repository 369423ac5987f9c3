// GET /api/classroom/stream   (signed-in learner) Server-Sent Events for the banner: class and direct messages,
// "your trainer is watching", lab reset/extended by the trainer. Nothing for anonymous learners (204).
import { classroomRoute } from '../../_classroom/classroom-http.ts';
import { sse } from '../../_lib/sse.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const actor = ctx.account;
    if (!actor) return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
    return sse(request, async (send) => ctx.classroom.watchAsLearner(actor, (e) => send(e.type, e)));
  });
}
