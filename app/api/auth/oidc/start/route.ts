// GET /api/auth/oidc/start?returnTo=/classes   (AUTH=oidc) sends the browser to the provider (code flow + PKCE).
// The state goes along in a 10-minute httpOnly cookie so that only this browser can finish this sign-in.
import { z } from 'zod';
import { OIDC_STATE_COOKIE } from '../../../../../lib/auth/oidc-login.ts';
import { isHttpsRequest } from '../../../../../lib/http/is-https.ts';
import { HttpError } from '../../../_lib/http-error.ts';
import { classroomRoute, parseParams, returnToField } from '../../../_classroom/classroom-http.ts';
import { callbackUrl } from '../../auth-fields.ts';

export const dynamic = 'force-dynamic';

const query = z.object({ returnTo: returnToField.optional() });

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const q = parseParams(query, Object.fromEntries(new URL(request.url).searchParams));
    const oidc = ctx.classroom.oidc;
    if (!oidc) throw new HttpError('not-found', 'Single sign-on is not configured on this site (AUTH is not "oidc").');
    ctx.classroom.identity.rateLimitOidc(ctx.client);
    const { url, state } = await oidc.begin({
      redirectUri: callbackUrl(request, ctx.platform.config.PUBLIC_URL),
      returnTo: q.returnTo ?? '/classes',
      ...(ctx.account ? {} : { anonymousLearnerId: ctx.learner.id }),
    });
    const cookie = [
      `${OIDC_STATE_COOKIE}=${state}`,
      'Path=/api/auth/oidc',
      'Max-Age=600',
      'HttpOnly',
      'SameSite=Lax',
      ...(isHttpsRequest(request) ? ['Secure'] : []),
    ].join('; ');
    return new Response(null, { status: 302, headers: { location: url, 'set-cookie': cookie, 'cache-control': 'no-store' } });
  });
}
