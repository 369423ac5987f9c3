// GET  /api/classes/join?token=…|code=…   the class's name and dates, for the join page (signed in).
// POST /api/classes/join { token } | { code }   enroll: refused when the link expired (410) or the class is full (409).
import { z } from 'zod';
import { ENROLL_TOKEN, SHORT_CODE } from '../../../../lab-runner/index.ts';
import { classroomRoute, json, parseParams, readBody, signedIn } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const ref = z.union([
  z.strictObject({ token: z.string().regex(ENROLL_TOKEN, { message: 'token must be the code from an enroll link' }) }),
  z.strictObject({ code: z.string().trim().toUpperCase().regex(SHORT_CODE, { message: 'code must be the 8-character class code' }) }),
]);

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const r = parseParams(ref, Object.fromEntries(new URL(request.url).searchParams));
    return json({ class: ctx.classroom.enrollTarget(actor, r) });
  });
}

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const r = await readBody(request, ref);
    return json({ class: ctx.classroom.join(actor, r) });
  });
}
