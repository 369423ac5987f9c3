// An error only the HTTP layer can name (a malformed request, another learner's lab, a lab not ready for files).
// Like engine errors it carries a code, never a status: error-status.ts decides that.
import type { SiteErrorCode } from './error-status.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly code: SiteErrorCode;
  /** Fields sent beside error and code (e.g. invalid-request's `fields`). */
  readonly extra?: Record<string, unknown>;
  constructor(code: SiteErrorCode, message: string, extra?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.extra = extra;
  }
}
