// Any error a route handler throws, as the one error body (lab-runner/wire/error-body.ts) and its status. Engine
// errors, HttpErrors, bounded-body refusals and zod failures all come out the same way; anything without a known
// code is a 500 whose message stays in the server log.
import type { ErrorBody } from '../../../lab-runner/wire/error-body.ts';
import { HTTP_STATUS, knownErrorCode } from './error-status.ts';
import { invalidRequest, isZodError } from './invalid-request.ts';
import { HttpError } from './http-error.ts';

export const INTERNAL_MESSAGE = 'The lab server hit an unexpected error. Details are in the server log.';

/** Details some engine errors carry for the browser (conflict versions, YAML issues, limits), sent beside the message. */
const DETAIL_KEYS = ['expected', 'current', 'issues', 'allowed', 'size', 'limit'] as const;

export interface DescribedError {
  status: number;
  body: ErrorBody;
}

export function describeError(thrown: unknown): DescribedError {
  const err = isZodError(thrown) ? invalidRequest(thrown, 'body') : thrown;
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const code = knownErrorCode(e.code);
  const status = code ? HTTP_STATUS[code] : HTTP_STATUS.internal;
  if (!code || status === HTTP_STATUS.internal) {
    console.error('[api] route failed:', err);
    return { status: HTTP_STATUS.internal, body: { error: INTERNAL_MESSAGE, code: 'internal' } };
  }
  const body: ErrorBody = { error: typeof e.message === 'string' ? e.message : String(err), code };
  for (const key of DETAIL_KEYS) if (key in e) body[key] = e[key];
  if (err instanceof HttpError) Object.assign(body, err.extra);
  const retryAfter = typeof e.retryAfterSeconds === 'number' && e.retryAfterSeconds > 0 ? Math.ceil(e.retryAfterSeconds) : undefined;
  if (retryAfter) body.retryAfter = retryAfter;
  return { status, body };
}

export function errorResponse(err: unknown): Response {
  const { status, body } = describeError(err);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (body.retryAfter) headers['retry-after'] = String(body.retryAfter);
  return Response.json(body, { status, headers });
}
