// GET /api/auth/oidc/callback?code=…&state=…   the provider sends the browser back here: the code is exchanged,
// the ID token checked, the account found or created, and a session cookie set; then on to returnTo.
import { OIDC_STATE_COOKIE } from '../../../../../lib/auth/oidc-login.ts';
import { isHttpsRequest } from '../../../../../lib/http/is-https.ts';
import { sessionCookie } from '../../../../../lib/auth/session-cookie.ts';
import { readCookie } from '../../../../../lib/learner/learner-cookie.ts';
import { HttpError } from '../../../_lib/http-error.ts';
import { classroomRoute } from '../../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const oidc = ctx.classroom.oidc;
    if (!oidc) throw new HttpError('not-found', 'Single sign-on is not configured on this site (AUTH is not "oidc").');
    const url = new URL(request.url);
    const providerError = url.searchParams.get('error');
    if (providerError) throw new HttpError('forbidden', `The sign-in provider refused: ${providerError.slice(0, 100)}`);
    let who;
    try {
      who = await oidc.finish(url, readCookie(request.headers.get('cookie'), OIDC_STATE_COOKIE));
    } catch (err) {
      throw new HttpError('forbidden', err instanceof Error ? err.message : String(err));
    }
    const signed = ctx.classroom.identity.signInWithOidc(who);
    const secure = isHttpsRequest(request);
    const headers = new Headers({ location: who.returnTo, 'cache-control': 'no-store' });
    headers.append('set-cookie', sessionCookie(signed.token, signed.expiresAt - Date.now(), secure));
    headers.append('set-cookie', `${OIDC_STATE_COOKIE}=; Path=/api/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    return new Response(null, { status: 302, headers });
  });
}
