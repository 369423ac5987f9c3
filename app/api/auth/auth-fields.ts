// Validation of sign-in bodies, shared by register and login.
import { z } from 'zod';
import { isHttpsRequest } from '../../../lib/http/is-https.ts';
import { sessionCookie } from '../../../lib/auth/session-cookie.ts';
import type { SignedIn } from '../../../lab-runner/index.ts';
import { json } from '../_classroom/classroom-http.ts';

export const emailField = z
  .email({ message: 'email must be an email address' })
  .max(254)
  .transform((e) => e.toLowerCase());
export const passwordField = z
  .string()
  .min(10, { message: 'password must be at least 10 characters' })
  .max(256, { message: 'password must be at most 256 characters' });
export const nameField = z.string().trim().min(1, { message: 'name is required' }).max(100);

/** The answer to a successful sign-in: the account and its session cookie (the anonymous learner's cookie stays, unused). */
export function signedInResponse(request: Request, s: SignedIn): Response {
  const res = json({ account: { id: s.account.id, email: s.account.email, name: s.account.name, role: s.account.role } });
  res.headers.append('set-cookie', sessionCookie(s.token, s.expiresAt - Date.now(), isHttpsRequest(request)));
  return res;
}

/** Where the provider sends the browser back: PUBLIC_URL's origin when set (behind a proxy), else the request's. */
export function callbackUrl(request: Request, publicUrl: string | undefined): string {
  return new URL('/api/auth/oidc/callback', publicUrl ?? new URL(request.url).origin).href;
}
