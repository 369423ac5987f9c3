// POST /api/admin/roles { email, role }   (admin) grant or revoke trainer (or admin) rights; audited.
// GET  /api/admin/roles                   (admin) every account with its role.
import { z } from 'zod';
import { HttpError } from '../../_lib/http-error.ts';
import { ROLES } from '../../../../lab-runner/index.ts';
import { classroomRoute, json, readBody, signedIn } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const body = z.strictObject({
  email: z.email({ message: 'email must be an email address' }).max(254),
  role: z.enum(ROLES, { message: 'role must be learner, trainer or admin' }),
});

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    if (signedIn(ctx).role !== 'admin') throw new HttpError('forbidden', 'Only an admin can list accounts.');
    return json({ accounts: ctx.classroom.accounts.list().map((a) => ({ id: a.id, email: a.email, name: a.name, role: a.role, kind: a.kind })) });
  });
}

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const input = await readBody(request, body);
    const a = await ctx.classroom.setRole(actor, input.email, input.role);
    return json({ account: { id: a.id, email: a.email, name: a.name, role: a.role } });
  });
}
