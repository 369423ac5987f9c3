// The one wrapper every API route runs in: the platform, the same-site check for changes, the learner (created on
// first contact, cookie set on the answer), and every thrown error turned into the one error body (error-response.ts).
// Handlers stay thin: read and validate the request, call the engine, return a view.
import { getPlatform } from '../../_server/platform-handle.ts';
import { getLearner, withLearnerCookie, type Learner } from '../../../lib/learner/index.ts';
import { accountClientKey, requestClientKey } from '../../../lib/learner/client-key.ts';
import { crossSiteRefusal } from '../../../lib/http/same-site.ts';
import { siteOrigins } from '../../../lib/http/site-origins.ts';
import type { Platform } from '../../../lab-runner/index.ts';
import { errorResponse } from './error-response.ts';
import { HttpError } from './http-error.ts';

export interface RouteContext {
  request: Request;
  learner: Learner;
  /**
   * Who is asking, for the per-client lab cap: the signed-in account ("account:<id>"), so a class behind one NAT is not
   * one client; otherwise the network address (/64 for IPv6).
   */
  client: string;
  platform: Platform;
}

export interface RouteOptions {
  /**
   * Whether a visitor without a learner cookie gets one with this answer (default true). False for reads that need
   * no identity (the catalog's progress): a brand-new visitor is not given a cookie just for looking.
   */
  cookieForNewLearner?: boolean;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export async function apiRoute(request: Request, handle: (ctx: RouteContext) => Promise<Response>, options: RouteOptions = {}): Promise<Response> {
  let platform: Platform;
  try {
    platform = getPlatform();
  } catch (err) {
    return errorResponse(new HttpError('platform-unavailable', (err as Error).message));
  }
  // Changes (start, stop, reset, tickets, saves, checks, reveals) only from our own pages; reads are harmless.
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const refusal = crossSiteRefusal(request, siteOrigins(platform.config));
    if (refusal) return errorResponse(new HttpError('cross-site', refusal));
  }
  const learner = await getLearner(request, platform.config);
  const client = learner.account ? accountClientKey(learner.account.id) : requestClientKey(request);
  const response = await answerErrors(() => handle({ request, learner, client, platform }));
  return options.cookieForNewLearner === false ? response : withLearnerCookie(response, learner);
}

/**
 * The error half of apiRoute, alone: for a route that needs no learner and answers even without a platform
 * (GET /api/host describes that case rather than failing). Whatever it throws becomes the one error body.
 */
export async function answerErrors(handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (err) {
    return errorResponse(err);
  }
}
