// The one table from error codes to HTTP statuses. Every engine code (lab-runner/errors.ts) and every code the site
// raises itself must be here: `satisfies Record<ErrorCode, number>` makes a new code without a status a type error.
// Whose problem it is decides the status: the asker's (4xx), the host's state (503), a failed step below us (502).
import type { EngineErrorCode } from '../../../lab-runner/index.ts';

/** Codes the site raises itself, for what only the HTTP layer knows (a request's shape, ownership, the platform handle), and lib/'s (body-too-large, cluster-schema). */
export const SITE_ERROR_CODES = [
  'invalid-request',
  'body-too-large',
  'forbidden',
  'cross-site',
  'not-found',
  'conflict',
  'platform-unavailable',
  'cluster-schema',
  'internal',
] as const;
export type SiteErrorCode = (typeof SITE_ERROR_CODES)[number];

export type ErrorCode = EngineErrorCode | SiteErrorCode;

/**
 * 500 means "our bug or an unexplained failure": its message is replaced by a generic one and the error is logged
 * (error-response.ts). Codes at 500 are engine failures a learner cannot act on.
 */
export const HTTP_STATUS = {
  // The request itself
  'invalid-request': 422,
  'bad-request': 422,
  'sandbox-invalid': 422,
  'body-too-large': 413,
  // Who may do what
  forbidden: 403,
  'cross-site': 403,
  // Things that are not there
  'not-found': 404,
  'lab-not-found': 404,
  'capture-not-found': 404,
  // Accounts and classes: 401 asks to sign in; another trainer's class is "not found", so ids cannot be probed
  unauthenticated: 401,
  'bad-credentials': 401,
  'class-forbidden': 403,
  'class-not-found': 404,
  'auth-mode': 404,
  'class-full': 409,
  'account-conflict': 409,
  'enroll-closed': 410,
  'class-invalid': 422,
  'rate-limited': 429,
  'unknown-target': 404,
  'lesson-not-found': 404,
  'task-not-found': 404,
  // The lab is not in a state for this
  conflict: 409,
  'lab-state': 409,
  'lab-destroyed': 409,
  unsupported: 409,
  'target-down': 409,
  'lab-mismatch': 409,
  'setup-failed': 409,
  'setup-other-lesson': 409,
  // Capacity: the asker's own limit is theirs to fix (429); a full server is not (503, Retry-After)
  'learner-limit': 429,
  'client-limit': 429,
  capacity: 503,
  // The host cannot serve labs right now
  'platform-unavailable': 503,
  'docker-unavailable': 503,
  'image-missing': 503,
  'host-not-ready': 503,
  // A step below us failed (Docker, provisioning, kubectl)
  'docker-call-failed': 502,
  'provision-failed': 502,
  'cluster-schema': 502,
  // The editor's files and manifests
  'path-invalid': 422,
  'not-a-file': 422,
  'manifest-invalid': 422,
  'path-not-allowed': 403,
  'permission-denied': 403,
  'file-not-found': 404,
  'directory-missing': 404,
  'file-conflict': 409,
  'no-cluster': 409,
  'file-gone': 410,
  'file-too-large': 413,
  'file-binary': 415,
  'file-op-failed': 502,
  // Engine failures a learner cannot act on: logged, answered with a generic message
  internal: 500,
  'docker-timeout': 500,
  'image-failed': 500,
  'images-offline': 500,
  'name-conflict': 500,
  'log-timeout': 500,
  'log-ended': 500,
  'storage-opt-unsupported': 500,
  'isolation-required': 500,
  'host-agent': 500,
  'artefact-missing': 500,
  'artefact-checksum': 500,
  'artefact-unknown': 500,
  'teardown-failed': 500,
  'poll-timeout': 500,
} as const satisfies Record<ErrorCode, number>;

/** The code, when `code` is one of ours (errors cross bundle boundaries: match the string, not the class). */
export function knownErrorCode(code: unknown): ErrorCode | undefined {
  return typeof code === 'string' && Object.hasOwn(HTTP_STATUS, code) ? (code as ErrorCode) : undefined;
}
