// POST /api/classes/:classId/learners/:userId   (trainer of the class) one action on one learner:
//   { action: "reset" } | { action: "extend", minutes } | { action: "message", body } | { action: "clear-help" }
// Every action is in the audit log.
import { z } from 'zod';
import { classIdParam, classroomRoute, json, parseParams, readBody, signedIn, userIdParam } from '../../../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const body = z.discriminatedUnion(
  'action',
  [
    z.strictObject({ action: z.literal('reset') }),
    z.strictObject({ action: z.literal('extend'), minutes: z.number().int().min(5).max(240) }),
    z.strictObject({ action: z.literal('message'), body: z.string().trim().min(1, { message: 'the message is empty' }).max(500) }),
    z.strictObject({ action: z.literal('clear-help') }),
  ],
  { message: 'action must be one of reset, extend, message, clear-help' },
);

export async function POST(request: Request, { params }: { params: Promise<{ classId: string; userId: string }> }): Promise<Response> {
  const p = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const { classId, userId } = parseParams(z.object({ classId: classIdParam, userId: userIdParam }), p);
    const action = await readBody(request, body);
    return json(await ctx.classroom.act(actor, classId, userId, action));
  });
}
