// GET /api/challenge/stream?labId=…&lesson=… — Server-Sent Events: one "state" event per change of the challenge
// view (task statuses, verdicts, last check time). While a page holds this stream the lab is graded continuously.
import { z } from 'zod';
import type { Platform } from '../../../../lab-runner/index.ts';
import type { ChallengeStreamError, ChallengeView } from '../../../../lab-runner/wire/challenge.ts';
import { apiRoute } from '../../_lib/api-route.ts';
import { describeError } from '../../_lib/error-response.ts';
import { labIdField, lessonIdField } from '../../_lib/id-fields.ts';
import { readQuery } from '../../_lib/read-request.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.object({ labId: labIdField(), lesson: lessonIdField() });
const HEARTBEAT_MS = 15_000;

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async ({ platform, learner }) => eventStream(request, platform, learner.id, readQuery(request, query)));
}

function eventStream(request: Request, platform: Platform, learnerId: string, q: z.output<typeof query>): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (...[event, data]: ['state', ChallengeView] | ['error', ChallengeStreamError]) => {
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
          { labId: q.labId, lesson: q.lesson, learnerId },
          (view) => send('state', view),
          () => cleanup(),
        );
        if (closed) unwatch();
      } catch (err) {
        const { status, body } = describeError(err);
        send('error', { status, ...body });
        cleanup();
      }
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    },
  });
}
