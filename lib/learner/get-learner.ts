// Route-handler helpers: who is this learner? Creates an anonymous learner on first contact.
//
//   const learner = await getLearner(request);
//   ... use learner.id ...
//   return withLearnerCookie(Response.json(body), learner);
import { isHttpsRequest } from '../http/is-https.ts';
import type { Config } from '../config.ts';
import { deriveKey, getSessionSecret } from './session-secret.ts';
import { LEARNER_COOKIE, newLearnerId, readCookie, serializeLearnerCookie, signLearnerCookie, verifyLearnerCookie } from './learner-cookie.ts';
import { getAccountResolver, type SignedInAccount } from '../auth/account-handle.ts';

export interface Learner {
  id: string;
  /** True when this request created the learner: the response must carry the cookie (withLearnerCookie). */
  isNew: boolean;
  /** Set-Cookie header value to send when isNew. */
  setCookie?: string;
  /** The signed-in account (AUTH=accounts or oidc) whose learner id this is. */
  account?: SignedInAccount;
}

export type SecretConfig = Pick<Config, 'SESSION_SECRET' | 'DATA_DIR'>;

export function learnerCookieKey(config?: SecretConfig): Buffer {
  return deriveKey(getSessionSecret(config), 'learner-cookie');
}

/** The learner id from a Cookie header, or undefined when absent or forged. Never creates a learner. */
export function readLearnerId(cookieHeader: string | null | undefined, config?: SecretConfig): string | undefined {
  const value = readCookie(cookieHeader, LEARNER_COOKIE);
  return value ? verifyLearnerCookie(learnerCookieKey(config), value) : undefined;
}

/** The learner making this request; a new anonymous learner (with a cookie to set) when there is none or it was forged. */
export async function getLearner(request: Request, config?: SecretConfig): Promise<Learner> {
  // With accounts, a valid session names the learner; an anonymous cookie naming an account's learner id is refused.
  // AUTH=anonymous registers no resolver: the cookie alone, exactly as before.
  const accounts = getAccountResolver();
  const account = accounts ? await accounts.fromRequestHeaders(request.headers) : undefined;
  if (account) return { id: account.learnerId, isNew: false, account };
  const existing = readLearnerId(request.headers.get('cookie'), config);
  if (existing && !accounts?.ownsLearnerId(existing)) return { id: existing, isNew: false };
  const id = newLearnerId();
  const setCookie = serializeLearnerCookie(signLearnerCookie(learnerCookieKey(config), id), { secure: isHttpsRequest(request) });
  return { id, isNew: true, setCookie };
}

/** Adds the learner cookie to a response when the learner was just created. Returns the same response. */
export function withLearnerCookie<R extends Response>(response: R, learner: Learner): R {
  if (learner.isNew && learner.setCookie) response.headers.append('set-cookie', learner.setCookie);
  return response;
}
