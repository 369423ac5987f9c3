// GET /api/labs/:labId/captures/:captureId/pcapng — the capture (its ring buffer merged) as a pcapng file.
import { apiRoute } from '../../../../../_lib/api-route.ts';
import { ownLab } from '../../../../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ labId: string; captureId: string }> }): Promise<Response> {
  const { labId, captureId } = await params;
  return apiRoute(request, async (ctx) => {
    await ownLab(ctx, labId);
    const bytes = await ctx.platform.network.downloadCapture(labId, captureId);
    const view = ctx.platform.network.captureView(labId, captureId);
    const name = `${view.target}-${view.ns ? `${view.ns}-` : ''}${view.iface}-${captureId}.pcapng`.replace(/[^A-Za-z0-9._-]/g, '_');
    return new Response(new Uint8Array(bytes), {
      headers: { 'content-type': 'application/vnd.tcpdump.pcap', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
    });
  });
}
