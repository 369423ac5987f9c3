// POST /api/classes/:classId/messages { body }   (trainer) a class-wide message: a banner on every learner's page.
import { z } from 'zod';
import { classIdParam, classroomRoute, json, parseParams, readBody, signedIn } from '../../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const body = z.strictObject({ body: z.string().trim().min(1, { message: 'the message is empty' }).max(500) });

export async function POST(request: Request, { params }: { params: Promise<{ classId: string }> }): Promise<Response> {
  const { classId } = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const id = parseParams(classIdParam, classId);
    const input = await readBody(request, body);
    return json({ message: ctx.classroom.messageClass(actor, id, input.body) }, 201);
  });
}
