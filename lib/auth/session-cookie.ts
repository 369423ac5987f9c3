// The account session cookie: an opaque random token (lab-runner/classroom/account-store.ts keeps its hash).
// httpOnly, SameSite=Lax (the OIDC callback is a top-level GET from the provider, which Lax allows), Secure on https.
import { readCookie } from '../learner/learner-cookie.ts';

export const SESSION_COOKIE = 'pw_session';

export function readSessionToken(cookieHeader: string | null | undefined): string | undefined {
  return readCookie(cookieHeader, SESSION_COOKIE);
}

export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', `Max-Age=${Math.floor(maxAgeMs / 1000)}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}
