// GET /api/labs/:labId/captures/:captureId/events — Server-Sent Events: "capture" (state, counts) and "packets"
// (rows, rate-limited by the engine). Closing the stream (the tab closed) lets the capture stop after a grace.
import { apiRoute } from '../../../../../_lib/api-route.ts';
import { ownLab } from '../../../../_lib/lab-http.ts';
import { sse } from '../../../../../_lib/sse.ts';
import type { CaptureEvent } from '../../../../../../../lab-runner/wire/network.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ labId: string; captureId: string }> }): Promise<Response> {
  const { labId, captureId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    ctx.platform.network.captureView(labId, captureId); // 404 before the stream opens
    return sse(request, async (send) =>
      ctx.platform.network.watchCapture(labId, captureId, (e: CaptureEvent) => send(e.type, e.type === 'packets' ? e.rows : e.capture)),
    );
  });
}
