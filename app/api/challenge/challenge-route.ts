// Shared by the challenge route handlers: who is asking, body/query validation (zod, 422 with the field and the fix),
// and mapping engine errors to HTTP. Engine errors are matched by their code, not instanceof: Next bundles route
// handlers separately from server.ts, so class identity does not survive the boundary.
import { z } from 'zod';
import { BodyTooLargeError, SMALL_BODY_BYTES, readBoundedText } from '../../../lib/http/bounded-body.ts';
import { getLearner, withLearnerCookie } from '../../../lib/learner/index.ts';
import type { Learner } from '../../../lib/learner/index.ts';
import { getPlatform } from '../../_server/platform-handle.ts';
import type { Platform } from '../../../lab-runner/platform.ts';

export const labIdField = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'labId must be the id of your lab (letters, digits, - and _)' });
export const lessonField = z
  .string()
  .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { message: 'lesson must be a lesson id such as pods/pods-and-network-namespaces' });
export const taskIdField = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, { message: 'taskId must be a task id from the challenge' });

export interface Caller {
  platform: Platform;
  learner: Learner;
}

export function caller(request: Request): Caller {
  const platform = getPlatform();
  return { platform, learner: getLearner(request, platform.config) };
}

export function json(body: unknown, learner: Learner | undefined, status = 200): Response {
  const res = Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
  return learner ? withLearnerCookie(res, learner) : res;
}

/** Parses a JSON body; a 422 Response when it does not fit. */
export async function readBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T> | Response> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readBoundedText(request, SMALL_BODY_BYTES));
  } catch (err) {
    if (err instanceof BodyTooLargeError) return json({ error: err.message, code: err.code }, undefined, 413);
    return json({ error: 'The request body must be JSON.' }, undefined, 422);
  }
  return validate(schema, raw);
}

export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> | Response {
  return validate(schema, Object.fromEntries(new URL(request.url).searchParams));
}

function validate<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> | Response {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return json({ error: 'Invalid request', issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) }, undefined, 422);
}

/** Engine errors carry a code (and the grader's a status); everything else is a 500 with a message, never a stack. */
export function errorResponse(err: unknown, learner?: Learner): Response {
  const e = err as { code?: string; status?: number; message?: string };
  const byCode: Record<string, number> = { 'lab-not-found': 404, 'lesson-not-found': 404, 'task-not-found': 404, 'lab-mismatch': 409, 'setup-failed': 409, 'lab-state': 409, capacity: 503 };
  const status = e.status ?? (e.code ? byCode[e.code] : undefined) ?? 500;
  const message = status === 500 ? 'The grader failed; see the server log.' : (e.message ?? 'error');
  if (status === 500) console.error('[challenge] route failed:', err);
  return json({ error: message, code: e.code }, learner, status);
}
