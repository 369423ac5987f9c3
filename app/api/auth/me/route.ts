// GET /api/auth/me   { mode, account | null }: how this site identifies learners, and who is signed in.
import { classroomRoute, json } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const a = ctx.account;
    return json({ mode: ctx.platform.config.AUTH, account: a ? { id: a.id, email: a.email, name: a.name, role: a.role } : null });
  });
}
