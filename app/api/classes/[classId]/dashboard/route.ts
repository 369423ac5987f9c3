// GET /api/classes/:classId/dashboard   (trainer of the class, or admin) Server-Sent Events: "grid" first (learners x
// tasks), then "cell" per change, "learner" when someone joins or asks for help, "message" for class messages.
import { classIdParam, classroomRoute, parseParams, signedIn } from '../../../_classroom/classroom-http.ts';
import { sse } from '../../../_lib/sse.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ classId: string }> }): Promise<Response> {
  const { classId } = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const id = parseParams(classIdParam, classId);
    ctx.classroom.trainerClass(actor, id); // 404 before the stream opens for anyone who does not teach it
    return sse(request, (send) => ctx.classroom.watchDashboard(actor, id, (e) => send(e.type, e)));
  });
}
