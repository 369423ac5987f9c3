// Shared plumbing for the lab route handlers: learner identity, the platform, body validation,
// ownership checks and one mapping from lab-runner errors to HTTP statuses.
import type { z } from 'zod';
import { getPlatform } from '../../../../lib/platform-handle.ts';
import { getLearner, withLearnerCookie, type Learner } from '../../../../lib/learner/index.ts';
import { requestClientKey } from '../../../../lib/learner/client-key.ts';
import { crossSiteRefusal } from '../../../../lib/http/same-site.ts';
import { BodyTooLargeError, SMALL_BODY_BYTES, readBoundedText } from '../../../../lib/http/bounded-body.ts';
import type { Platform } from '../../../../lab-runner/platform.ts';
import type { Lab } from '../../../../lab-runner/lab/lab.ts';

const CODE_FOR_STATUS: Record<number, string> = { 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'body-too-large', 422: 'invalid-request' };

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra?: Record<string, unknown>;
  constructor(status: number, message: string, extra?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = CODE_FOR_STATUS[status] ?? 'error';
    this.extra = extra;
  }
}

export interface RouteContext {
  request: Request;
  learner: Learner;
  /** Who is asking as far as the network can tell (address, /64 for IPv6; an account once accounts exist): caps count per client too. */
  client: string;
  platform: Platform;
}

const NO_STORE = { 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * Runs a lab route: resolves the learner (creating one on first contact) and the platform, maps errors to
 * statuses, and always sets the learner cookie when the learner is new.
 */
export async function labRoute(request: Request, handle: (ctx: RouteContext) => Promise<Response>): Promise<Response> {
  let platform: Platform;
  try {
    platform = getPlatform();
  } catch (err) {
    return json({ error: (err as Error).message, code: 'platform-unavailable' }, 503);
  }
  // Changes (start, stop, reset, tickets) only from our own pages; reads are harmless.
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const refusal = crossSiteRefusal(request, platform.config.ALLOWED_ORIGINS);
    if (refusal) return json({ error: refusal, code: 'cross-site' }, 403);
  }
  const learner = getLearner(request, platform.config);
  let response: Response;
  try {
    response = await handle({ request, learner, client: requestClientKey(request), platform });
  } catch (err) {
    response = errorResponse(err);
  }
  return withLearnerCookie(response, learner);
}

/** Parses a JSON body (at most maxBytes, 413 beyond) with a zod schema; 422 with one message per field otherwise. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = SMALL_BODY_BYTES): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    const text = await readBoundedText(request, maxBytes);
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new HttpError(413, err.message);
    throw new HttpError(422, 'The request body must be JSON.', { fields: { body: 'not valid JSON' } });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const fields: Record<string, string> = {};
    for (const issue of result.error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
    const summary = Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    throw new HttpError(422, `Invalid request: ${summary}`, { fields });
  }
  return result.data;
}

/** The lab, if it exists and belongs to this learner. */
export async function ownLab(ctx: RouteContext, labId: string): Promise<Lab> {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(labId)) throw new HttpError(404, `No lab with id ${labId}.`);
  const lab = await ctx.platform.labs.get(labId);
  if (!lab || lab.state === 'destroyed') throw new HttpError(404, `No lab with id ${labId}. It may have expired or been stopped; start a new one.`);
  if (lab.learnerId !== ctx.learner.id) throw new HttpError(403, 'This lab belongs to another learner.');
  return lab;
}

/**
 * lab-runner errors carry a stable `code`. Route handlers are bundled apart from server.ts, so the error
 * classes here are not the ones the platform throws: match on `code`, never on instanceof.
 */
export function statusForError(err: unknown): { status: number; message: string; code: string } {
  if (err instanceof HttpError) return { status: err.status, message: err.message, code: err.code };
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'internal';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  switch (code) {
    case 'capacity': {
      // The learner's or client's own limit is theirs to fix (close a lab): 429. A full server is not: 503.
      const scope = (err as { scope?: unknown }).scope;
      const own = scope === 'learner' || scope === 'client' || (scope === undefined && /^You already have/.test(message));
      return { status: own ? 429 : 503, message, code };
    }
    case 'docker-unavailable':
    case 'image-missing':
    case 'host-not-ready':
      return { status: 503, message, code };
    case 'lab-not-found':
    case 'unknown-target':
    case 'not-found':
      return { status: 404, message, code };
    case 'lab-state':
    case 'lab-destroyed':
    case 'unsupported':
    case 'target-down':
      return { status: 409, message, code };
    case 'sandbox-invalid':
    case 'bad-request':
      return { status: 422, message, code };
    case 'provision-failed':
    case 'docker-call-failed':
      return { status: 502, message, code };
    default:
      return { status: 500, message: 'The lab server hit an unexpected error. Details are in the server log.', code: 'internal' };
  }
}

/** Seconds until asking again may help (a full server's capacity error carries it), for Retry-After. */
export function retryAfterOf(err: unknown): number | undefined {
  const r = (err as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof r === 'number' && r > 0 ? Math.ceil(r) : undefined;
}

export function errorResponse(err: unknown): Response {
  const { status, message, code } = statusForError(err);
  if (status >= 500 && code === 'internal') console.error('lab route failed:', err);
  const extra = err instanceof HttpError ? err.extra : undefined;
  const retryAfter = retryAfterOf(err);
  return json({ error: message, code, ...(retryAfter ? { retryAfter } : {}), ...extra }, status, retryAfter ? { 'retry-after': String(retryAfter) } : {});
}
