// GET /api/classes/:classId/learners/:userId/terminal?target=node1   (trainer of the class) a READ-ONLY live view of
// the learner's terminal as Server-Sent Events: "screen" (the screen now), then "output" (base64 bytes), "ended".
// Nothing can be typed through it. The learner sees "your trainer is watching" while it is open; it is audited.
import { z } from 'zod';
import { HttpError } from '../../../../../_lib/http-error.ts';
import { classIdParam, classroomRoute, parseParams, signedIn, userIdParam } from '../../../../../_classroom/classroom-http.ts';
import { sse } from '../../../../../_lib/sse.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.strictObject({ target: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'target must be a lab target such as node1' }) });

export async function GET(request: Request, { params }: { params: Promise<{ classId: string; userId: string }> }): Promise<Response> {
  const p = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const { classId, userId } = parseParams(z.object({ classId: classIdParam, userId: userIdParam }), p);
    const { target } = parseParams(query, Object.fromEntries(new URL(request.url).searchParams));
    const events: { event: string; data: unknown }[] = [];
    // Subscribe before answering, so permission errors and "no terminal" are HTTP statuses, not stream events.
    let forward: ((event: string, data: unknown) => void) | undefined;
    const stop = await ctx.classroom.watchTerminal(actor, classId, userId, target, (e) =>
      forward ? forward(e.type, e) : events.push({ event: e.type, data: e }),
    );
    if (!stop) throw new HttpError('not-found', `The learner has no terminal open on ${target}.`);
    return sse(request, async (send) => {
      for (const e of events.splice(0)) send(e.event, e.data);
      forward = send;
      return stop;
    });
  });
}
