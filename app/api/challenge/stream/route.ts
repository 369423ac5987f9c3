// GET /api/challenge/stream?labId=…&lesson=… — Server-Sent Events: one "state" event per change of the challenge
// view (task statuses, verdicts, last check time). While a page holds this stream the lab is graded continuously.
import { z } from 'zod';
import { caller, errorResponse, labIdField, lessonField, readQuery } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.object({ labId: labIdField, lesson: lessonField });
const HEARTBEAT_MS = 15_000;

export async function GET(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  const q = readQuery(request, query);
  if (q instanceof Response) return q;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (event: string, data: unknown) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          closed = true;
        }
      };
      let unwatch = () => {};
      const heartbeat = setInterval(() => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
        } catch {
          closed = true;
        }
      }, HEARTBEAT_MS);
      let cleaned = false;
      cleanup = () => {
        if (cleaned) return;
        cleaned = true;
        closed = true;
        clearInterval(heartbeat);
        unwatch();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener('abort', () => cleanup(), { once: true });
      try {
        // Reconnect quickly when the server ends the stream (lab reset): EventSource's default wait is 3 s.
        controller.enqueue(encoder.encode('retry: 500\n\n'));
        unwatch = await platform.grader.watch(
          { labId: q.labId, lesson: q.lesson, learnerId: learner.id },
          (view) => send('state', view),
          () => cleanup(),
        );
        if (closed) unwatch();
      } catch (err) {
        const res = errorResponse(err);
        send('error', { status: res.status, ...((await res.json()) as object) });
        cleanup();
      }
    },
    cancel() {
      cleanup();
    },
  });
  const res = new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    },
  });
  if (learner.isNew && learner.setCookie) res.headers.append('set-cookie', learner.setCookie);
  return res;
}
