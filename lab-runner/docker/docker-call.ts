// One wrapper for every Docker call: logs what it does with ids, and turns failures into typed errors.
// "Cannot connect" becomes DockerUnavailableError (with advice); everything else DockerCallError with ids.
import { createLogger } from '../../lib/log.ts';
import { DockerCallError, DockerTimeoutError, DockerUnavailableError } from '../errors.ts';
import { dockerTarget } from './docker-client.ts';

export const dockerLog = createLogger('docker');

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True when the error means the engine could not be reached at all (as opposed to the engine refusing a request). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; statusCode?: number; errno?: number; message?: string } | undefined;
  if (!e || e.statusCode) return false;
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  return /connect (ECONNREFUSED|ENOENT|EACCES)|socket hang up/i.test(e.message ?? '');
}

export function statusCodeOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; cause?: unknown } | undefined;
  if (!e) return undefined;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return e.cause ? statusCodeOf(e.cause) : undefined;
}

/** Docker's error text ("No such container: …"), without dockerode's "(HTTP code 404) …" prefix. */
export function dockerMessageOf(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string; cause?: unknown } | undefined;
  if (!e) return String(err);
  if (e.json?.message) return e.json.message;
  if (e.cause && e instanceof DockerCallError) return dockerMessageOf(e.cause);
  return e.message ?? String(err);
}

/** Calls that legitimately run for minutes (image transfers and builds) have no deadline. */
const NO_DEADLINE = /^image (build|pull|import|save)$/;
let deadlineMs = 60_000;

/**
 * DOCKER_CALL_TIMEOUT: how long any other call may take. A runc that hangs blocks dockerd on every call touching that
 * container, forever; past the deadline the caller gets DockerTimeoutError (the lab fails with that message and is
 * torn down, and what the hung call creates later is removed by the reaper, by label).
 */
export function setDockerCallDeadline(ms: number): void {
  deadlineMs = ms;
}

function withDeadline<T>(action: string, ids: Record<string, string | undefined>, p: Promise<T>): Promise<T> {
  if (NO_DEADLINE.test(action) || !deadlineMs) return p;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DockerTimeoutError(action, ids, deadlineMs)), deadlineMs);
    timer.unref();
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

export async function dockerCall<T>(action: string, ids: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  dockerLog.debug(action, ids);
  try {
    return await withDeadline(action, ids, fn());
  } catch (err) {
    if (err instanceof DockerCallError || err instanceof DockerUnavailableError || err instanceof DockerTimeoutError) throw err;
    if (isConnectionError(err)) throw new DockerUnavailableError(dockerTarget(), err);
    dockerLog.debug(`${action} failed`, { ...ids, status: statusCodeOf(err), error: dockerMessageOf(err) });
    throw new DockerCallError(action, ids, err);
  }
}

/** Runs a call whose listed HTTP statuses mean "already in the wanted state" (404 on remove, 304 on stop...). */
export async function idempotentDockerCall(
  action: string,
  ids: Record<string, string | undefined>,
  okStatuses: number[],
  fn: () => Promise<unknown>,
): Promise<void> {
  try {
    await dockerCall(action, ids, fn);
  } catch (err) {
    const status = statusCodeOf(err);
    if (status !== undefined && okStatuses.includes(status)) {
      dockerLog.debug(`${action}: already done`, { ...ids, status });
      return;
    }
    throw err;
  }
}
