// POST /api/auth/logout   ends this browser's session (better-auth deletes it server-side, not only the cookie).
import { classroomRoute, json } from '../../_classroom/classroom-http.ts';
import { withAuthCookies } from '../auth-fields.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const cookies = await ctx.classroom.identity.logout(request.headers);
    return withAuthCookies(request, json({ ok: true }), cookies);
  });
}
