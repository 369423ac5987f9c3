// Validation of sign-in bodies, shared by register and login, and the cookies better-auth hands back.
import { z } from 'zod';
import { isHttpsRequest } from '../../../lib/http/is-https.ts';
import { requestClientKey } from '../../../lib/learner/client-key.ts';
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

/** Sign-in attempts are limited per network address (and per email), signed in or not. */
export const signInClient = requestClientKey;

/**
 * better-auth's Set-Cookie values as this request needs them: Secure on https (its cookies are set without, so that one
 * instance serves http on a LAN and https behind a proxy, like the learner cookie).
 */
export function authCookies(request: Request, setCookies: string[]): string[] {
  if (!isHttpsRequest(request)) return setCookies;
  return setCookies.map((c) => (/;\s*secure\b/i.test(c) ? c : `${c}; Secure`));
}

/** Copies better-auth's cookies onto a response (Secure on https). Returns the same response. */
export function withAuthCookies<R extends Response>(request: Request, response: R, setCookies: string[]): R {
  for (const c of authCookies(request, setCookies)) response.headers.append('set-cookie', c);
  return response;
}

/** The answer to a successful sign-in: the account and its session cookie (the anonymous learner's cookie stays, unused). */
export function signedInResponse(request: Request, s: SignedIn): Response {
  return withAuthCookies(request, json({ account: { id: s.account.id, email: s.account.email, name: s.account.name, role: s.account.role } }), s.setCookies);
}
