// A request that does not fit its zod schema: 422 code invalid-request, one message per field, and a summary
// line naming them all (the learner-facing `error`).
import type { z } from 'zod';
import { HttpError } from './http-error.ts';

/** Where the values came from: names the field when an issue has no path (the whole body or query is wrong). */
export type RequestPart = 'body' | 'query';

export function invalidRequest(err: z.ZodError, part: RequestPart): HttpError {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) fields[issue.path.join('.') || part] ??= issue.message;
  const summary = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  return new HttpError('invalid-request', `Invalid request: ${summary}`, { fields });
}

/** Matched by shape: a ZodError from another bundle's copy of zod is not `instanceof` this one's. */
export function isZodError(err: unknown): err is z.ZodError {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}
