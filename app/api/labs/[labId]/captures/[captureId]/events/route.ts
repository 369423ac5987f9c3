// GET /api/labs/:labId/captures/:captureId/events — Server-Sent Events: "capture" (state, counts) and "packets"
// (rows, rate-limited by the engine). Closing the stream (the tab closed) lets the capture stop after a grace.
import { apiRoute } from '../../../../../_lib/api-route.ts';
import { ownLab } from '../../../../_lib/lab-http.ts';
import type { CaptureEvent } from '../../../../../../../lab-runner/wire/network.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const HEARTBEAT_MS = 15_000;

export async function GET(request: Request, { params }: { params: Promise<{ labId: string; captureId: string }> }): Promise<Response> {
  const { labId, captureId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    ctx.platform.network.captureView(labId, captureId); // 404 before the stream opens
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        let cleaned = false;
        const write = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            closed = true;
          }
        };
        const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
        const unwatch = ctx.platform.network.watchCapture(labId, captureId, (e: CaptureEvent) =>
          write(`event: ${e.type}\ndata: ${JSON.stringify(e.type === 'packets' ? e.rows : e.capture)}\n\n`),
        );
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
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
    });
  });
}
