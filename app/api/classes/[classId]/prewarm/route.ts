// POST /api/classes/:classId/prewarm   (trainer) start now every enrolled learner's lab for the first lesson, set up.
import { classIdParam, classroomRoute, json, parseParams, signedIn } from '../../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ classId: string }> }): Promise<Response> {
  const { classId } = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const id = parseParams(classIdParam, classId);
    return json(await ctx.classroom.prewarmClass(actor, id));
  });
}
