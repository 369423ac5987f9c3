// A new visitor's learner cookie is set on the first page they load, before the page's scripts run.
//
// Route handlers create an anonymous learner on first contact (get-learner.ts). A lesson page fires several API
// requests at once as it loads; without a cookie, each of them created a learner of its own and set its cookie, and
// the browser kept whichever answer came last. A lab started under one of those ids could then be lost to the next
// answer: the page, a reload or `GET /api/labs` asked as another learner and found nothing (seen as a failed e2e
// run: the terminal up, `GET /api/labs` answering { lab: null }). Minting the id with the page itself means every
// request the page makes carries one learner.
import { LEARNER_COOKIE, newLearnerId, serializeLearnerCookie, signLearnerCookie } from './learner-cookie.ts';
import { learnerCookieKey, readLearnerId, type SecretConfig } from './get-learner.ts';
import { forwardedHttps } from '../http/is-https.ts';

export interface PageRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A page navigation, as browsers mark it (Sec-Fetch-Dest: document), or an HTML GET outside the API and assets. */
function isPageLoad(req: PageRequest): boolean {
  if (req.method !== 'GET') return false;
  const url = req.url ?? '/';
  if (url.startsWith('/api/') || url.startsWith('/_next/')) return false;
  const dest = req.headers['sec-fetch-dest'];
  if (typeof dest === 'string') return dest === 'document';
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

/**
 * For a page load without a valid learner cookie: a new learner's Set-Cookie value, and the Cookie header the
 * request should carry on (so the page renders as that learner too). Undefined when nothing is to be done.
 */
export function firstPageLearner(req: PageRequest, config: SecretConfig): { setCookie: string; cookieHeader: string } | undefined {
  if (!isPageLoad(req)) return undefined;
  const cookie = typeof req.headers.cookie === 'string' ? req.headers.cookie : undefined;
  if (readLearnerId(cookie, config)) return undefined;
  const value = signLearnerCookie(learnerCookieKey(config), newLearnerId());
  const proto = req.headers['x-forwarded-proto'];
  const secure = forwardedHttps(typeof proto === 'string' ? proto : undefined) === true;
  // Any stale or forged pw_learner pair is replaced, the other cookies kept.
  const others = (cookie ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith(`${LEARNER_COOKIE}=`));
  return {
    setCookie: serializeLearnerCookie(value, { secure }),
    cookieHeader: [...others, `${LEARNER_COOKIE}=${encodeURIComponent(value)}`].join('; '),
  };
}
