// POST /api/auth/logout   ends this browser's session (the token stops working server-side, not only the cookie).
import { isHttpsRequest } from '../../../../lib/http/is-https.ts';
import { clearedSessionCookie, readSessionToken } from '../../../../lib/auth/session-cookie.ts';
import { classroomRoute, json } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const token = readSessionToken(request.headers.get('cookie'));
    if (token) ctx.classroom.identity.logout(token);
    const res = json({ ok: true });
    res.headers.append('set-cookie', clearedSessionCookie(isHttpsRequest(request)));
    return res;
  });
}
