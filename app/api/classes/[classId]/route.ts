// GET /api/classes/:classId   the trainer's view of their class (enroll link, code) or a learner's (path, messages).
// Anyone else: 404, whether the class exists or not.
import { classIdParam, classroomRoute, json, parseParams, signedIn } from '../../_classroom/classroom-http.ts';
import { canTeach } from '../../../../lab-runner/index.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ classId: string }> }): Promise<Response> {
  const { classId } = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const id = parseParams(classIdParam, classId);
    if (canTeach(actor)) {
      const c = ctx.classroom.classes.get(id);
      if (c && (c.trainerId === actor.id || actor.role === 'admin')) return json({ role: 'trainer', class: ctx.classroom.trainerClass(actor, id) });
    }
    return json({ role: 'learner', class: await ctx.classroom.learnerClass(actor, id) });
  });
}
