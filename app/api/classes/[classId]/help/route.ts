// POST /api/classes/:classId/help { lesson? }   (a learner of the class) "Ask for help": flagged on the trainer's grid.
import { z } from 'zod';
import { classIdParam, classroomRoute, json, parseParams, readBody, signedIn } from '../../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const body = z.strictObject({
  lesson: z
    .string()
    .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { message: 'lesson must be a lesson id' })
    .optional(),
});

export async function POST(request: Request, { params }: { params: Promise<{ classId: string }> }): Promise<Response> {
  const { classId } = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const id = parseParams(classIdParam, classId);
    const input = await readBody(request, body);
    ctx.classroom.askForHelp(actor, id, input.lesson);
    return json({ ok: true });
  });
}
