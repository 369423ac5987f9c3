// Shared plumbing of the classroom routes (accounts, classes, dashboard): who is asking, body and parameter
// validation (zod, 422 naming the field), one table from classroom error codes to HTTP statuses, and SSE.
// Routes stay thin: validate -> call one Classroom method -> return a view.
import { z } from 'zod';
import { getPlatform } from '../../../lib/platform-handle.ts';
import { getLearner, withLearnerCookie, type Learner } from '../../../lib/learner/index.ts';
import { requestClientKey } from '../../../lib/learner/client-key.ts';
import { crossSiteRefusal } from '../../../lib/http/same-site.ts';
import { HttpError, readBody as readLabBody, statusForError } from '../labs/_lib/lab-http.ts';
import type { Platform } from '../../../lab-runner/platform.ts';
import type { Classroom } from '../../../lab-runner/index.ts';
import type { Account } from '../../../lab-runner/index.ts';
import type { ClassroomErrorCode } from '../../../lab-runner/index.ts';

export const readBody = readLabBody;

/** Every classroom error code and its status; a code missing here is a type error. */
const STATUS: Record<ClassroomErrorCode, number> = {
  unauthenticated: 401,
  'bad-credentials': 401,
  forbidden: 403,
  'not-found': 404,
  'auth-mode': 404,
  'class-full': 409,
  conflict: 409,
  'enroll-closed': 410,
  invalid: 422,
  'rate-limited': 429,
};

export interface ClassroomContext {
  request: Request;
  platform: Platform;
  classroom: Classroom;
  learner: Learner;
  /** The signed-in account, if any. */
  account: Account | undefined;
  client: string;
}

const NO_STORE = { 'cache-control': 'no-store' };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** The signed-in account, or 401. */
export function signedIn(ctx: ClassroomContext): Account {
  if (!ctx.account) throw new HttpError(401, ctx.platform.config.AUTH === 'anonymous' ? 'Classes need accounts: this site runs with AUTH=anonymous.' : 'Sign in first.');
  return ctx.account;
}

export function errorToResponse(err: unknown): Response {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code in STATUS && (err as { name?: string }).name === 'ClassroomError') {
    return json({ error: (err as Error).message, code }, STATUS[code as ClassroomErrorCode]);
  }
  if (err instanceof HttpError) return json({ error: err.message, code: err.status === 401 ? 'unauthenticated' : err.code, ...err.extra }, err.status);
  const { status, message, code: c } = statusForError(err);
  if (status >= 500) console.error('classroom route failed:', err);
  return json({ error: message, code: c }, status);
}

export async function classroomRoute(request: Request, handle: (ctx: ClassroomContext) => Promise<Response>): Promise<Response> {
  let platform: Platform;
  try {
    platform = getPlatform();
  } catch (err) {
    return json({ error: (err as Error).message, code: 'platform-unavailable' }, 503);
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const refusal = crossSiteRefusal(request, platform.config.ALLOWED_ORIGINS);
    if (refusal) return json({ error: refusal.replace(/^Labs can only be started/, 'This can only be done'), code: 'cross-site' }, 403);
  }
  const learner = getLearner(request, platform.config);
  // The account is read fresh from the store on every request: a role change applies at once.
  const account = learner.account ? platform.classroom.accounts.byId(learner.account.id) : undefined;
  let response: Response;
  try {
    response = await handle({ request, platform, classroom: platform.classroom, learner, account, client: requestClientKey(request) });
  } catch (err) {
    response = errorToResponse(err);
  }
  return withLearnerCookie(response, learner);
}

/** Validates route parameters (422 naming the parameter). */
export function parseParams<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const fields: Record<string, string> = {};
  for (const i of r.error.issues) fields[i.path.join('.') || 'params'] ??= i.message;
  throw new HttpError(422, `Invalid request: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, { fields });
}

export const classIdParam = z.uuid({ message: 'classId must be a class id' });
export const userIdParam = z.uuid({ message: 'userId must be a learner id from the class' });

/** A path on this site to come back to after signing in: relative, never "//host" or a scheme. */
export const returnToField = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, { message: 'returnTo must be a path on this site such as /classes' });

const HEARTBEAT_MS = 15_000;
/** A consumer this far behind (bytes queued) is cut off: it reconnects and gets a fresh snapshot. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * A Server-Sent Events response. `start` subscribes (sending with `send`) and returns its cleanup, run when the
 * browser goes away, the stream is cut off for lagging, or `end` is called.
 */
export function sse(request: Request, start: (send: (event: string, data: unknown) => void, end: () => void) => Promise<(() => void) | undefined>): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    cleanup?.();
    try {
      controllerRef?.close();
    } catch {
      // already closed by the client
    }
  };
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
  const write = (text: string) => {
    if (closed || !controllerRef) return;
    if ((controllerRef.desiredSize ?? 0) < -MAX_QUEUED_BYTES) return finish();
    try {
      controllerRef.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        controllerRef = controller;
        try {
          const c = await start((event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`), finish);
          if (closed) c?.();
          else cleanup = c;
        } catch (err) {
          write(`event: error\ndata: ${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n\n`);
          finish();
        }
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: MAX_QUEUED_BYTES, size: (chunk) => chunk.byteLength },
  );
  request.signal.addEventListener('abort', finish, { once: true });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
}
