// GET /api/auth/callback/oidc?code=…&state=…   the one path better-auth owns: the provider sends the browser back
// here; better-auth checks the state against this browser's cookie, exchanges the code (PKCE), verifies the ID token,
// finds or creates the account (our hooks keep the anonymous learner's progress) and sets the session cookie, then
// redirects to returnTo (or to /signin?error=… when the sign-in failed). Register this URL at the provider.
import { answerErrors } from '../../../_lib/api-route.ts';
import { HttpError } from '../../../_lib/http-error.ts';
import { getPlatform } from '../../../../_server/platform-handle.ts';
import { authCookies } from '../../auth-fields.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return answerErrors(async () => {
    let platform;
    try {
      platform = getPlatform();
    } catch (err) {
      throw new HttpError('platform-unavailable', (err as Error).message);
    }
    const answer = await platform.classroom.identity.handle(request);
    // A fresh response: better-auth's headers may be immutable, and its cookies get Secure on https.
    const headers = new Headers();
    for (const [k, v] of answer.headers) if (k !== 'set-cookie') headers.set(k, v);
    for (const c of authCookies(request, answer.headers.getSetCookie())) headers.append('set-cookie', c);
    headers.set('cache-control', 'no-store');
    return new Response(answer.body, { status: answer.status, headers });
  });
}
