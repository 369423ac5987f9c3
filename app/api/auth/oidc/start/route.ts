// GET /api/auth/oidc/start?returnTo=/classes   (single sign-on) sends the browser to the provider through better-auth
// (code flow + PKCE; the state is kept server-side and bound to this browser by a signed 5-minute cookie).
// The provider sends the browser back to /api/auth/callback/oidc (app/api/auth/callback/[provider]/route.ts).
import { z } from 'zod';
import { classroomRoute, parseParams, returnToField } from '../../../_classroom/classroom-http.ts';
import { signInClient, withAuthCookies } from '../../auth-fields.ts';

export const dynamic = 'force-dynamic';

const query = z.object({ returnTo: returnToField.optional() });

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const q = parseParams(query, Object.fromEntries(new URL(request.url).searchParams));
    const { url, setCookies } = await ctx.classroom.identity.startSso({
      returnTo: q.returnTo ?? '/classes',
      client: signInClient(request),
      headers: request.headers,
    });
    return withAuthCookies(request, new Response(null, { status: 302, headers: { location: url, 'cache-control': 'no-store' } }), setCookies);
  });
}
