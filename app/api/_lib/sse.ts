// Server-Sent Events for every streaming route (challenge verdicts, captures, the classroom dashboard and terminal
// watch): a heartbeat, a consumer that lags too far cut off (it reconnects and gets a fresh snapshot), cleanup when
// the browser goes away, and a failure reported as the one error body in an "error" event.
import { describeError } from './error-response.ts';

export interface SseOptions {
  retryMs?: number;
}

const HEARTBEAT_MS = 15_000;
/** A consumer this far behind (bytes queued) is cut off: it reconnects and gets a fresh snapshot. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * A Server-Sent Events response. `start` subscribes (sending with `send`) and returns its cleanup, run when the
 * browser goes away, the stream is cut off for lagging, or `end` is called.
 */
export function sse(
  request: Request,
  start: (send: (event: string, data: unknown) => void, end: () => void) => Promise<(() => void) | undefined>,
  options: SseOptions = {},
): Response {
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
        // How soon EventSource reconnects when the server ends the stream (e.g. a lab reset); its default is 3 s.
        if (options.retryMs !== undefined) write(`retry: ${options.retryMs}\n\n`);
        try {
          const c = await start((event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`), finish);
          if (closed) c?.();
          else cleanup = c;
        } catch (err) {
          // The one error body, with its status, as the stream's last event (the answer's status is already 200).
          const { status, body } = describeError(err);
          write(`event: error\ndata: ${JSON.stringify({ status, ...body })}\n\n`);
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
