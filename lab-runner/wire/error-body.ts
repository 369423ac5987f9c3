// The one shape of every error answer of the site's API (JSON routes, the NDJSON lab start's error line, the
// challenge stream's error event). Browser code reads failures with parseErrorBody, never by guessing fields.
import { z } from 'zod';

export const errorBodySchema = z.looseObject({
  /** For the learner: what happened and what to do. */
  error: z.string(),
  /** Stable machine-readable code (lab-runner/errors.ts, or the site's own: invalid-request, forbidden…). */
  code: z.string(),
  /** invalid-request: one message per offending field ("lab", "target", "body"…). */
  fields: z.record(z.string(), z.string()).optional(),
  /** Seconds until asking again may help (also sent as Retry-After). */
  retryAfter: z.number().optional(),
});
// Loose: some codes carry details beside these (file-conflict: expected/current, manifest-invalid: issues,
// path-not-allowed: allowed, file-too-large: size/limit).
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Code of the stand-in body for an answer that carries none (a proxy's HTML error page, a cut connection). */
export const UNREADABLE_ERROR_CODE = 'unreadable-answer';

/** The error body of a failed answer, or a stand-in with `fallback` as its message when the body is not one. */
export function parseErrorBody(raw: unknown, fallback: string): ErrorBody {
  const parsed = errorBodySchema.safeParse(raw);
  return parsed.success ? parsed.data : { error: fallback, code: UNREADABLE_ERROR_CODE };
}
