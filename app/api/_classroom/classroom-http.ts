// Shared plumbing of the classroom routes (accounts, classes, dashboard) on top of the one route wrapper: who is
// signed in, parameter validation (zod, 422 naming the field) and SSE. Statuses come from the one table
// (app/api/_lib/error-status.ts) like every route's.
// Routes stay thin: validate -> call one Classroom method -> return a view.
import { z } from 'zod';
import type { Account, Classroom } from '../../../lab-runner/index.ts';
import { ClassroomError } from '../../../lab-runner/index.ts';
import { apiRoute, type RouteContext } from '../_lib/api-route.ts';
import { invalidRequest } from '../_lib/invalid-request.ts';

export { json } from '../_lib/api-route.ts';
export { readBody } from '../_lib/read-request.ts';

export interface ClassroomContext extends RouteContext {
  classroom: Classroom;
  /** The signed-in account, if any. */
  account: Account | undefined;
}

/** The signed-in account, or 401. */
export function signedIn(ctx: ClassroomContext): Account {
  if (!ctx.account)
    throw new ClassroomError(
      'unauthenticated',
      ctx.platform.config.AUTH === 'anonymous' ? 'Classes need accounts: this site runs with AUTH=anonymous.' : 'Sign in first.',
    );
  return ctx.account;
}

/** apiRoute plus the signed-in account, read fresh from the store on every request: a role change applies at once. */
export async function classroomRoute(request: Request, handle: (ctx: ClassroomContext) => Promise<Response>): Promise<Response> {
  return apiRoute(request, (ctx) => {
    const account = ctx.learner.account ? ctx.platform.classroom.accounts.byId(ctx.learner.account.id) : undefined;
    return handle({ ...ctx, classroom: ctx.platform.classroom, account });
  });
}

/** Validates route parameters (422 naming the parameter). */
export function parseParams<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw invalidRequest(r.error, 'query');
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
