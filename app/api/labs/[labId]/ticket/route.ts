// POST /api/labs/:labId/ticket { target } — a 60-second, single-use ticket to open one terminal.
// The browser names a lab target ("node1"), never a container; the gateway resolves it from the lab.
import { z } from 'zod';
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { targetField } from '../../../_lib/id-fields.ts';
import { readBody } from '../../../_lib/read-request.ts';
import { liveTarget } from '../../_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

const ticketBody = z.strictObject({ target: targetField() });

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const { target } = await readBody(request, ticketBody);
    await liveTarget(ctx, labId, target, 'terminals');
    const { ticket, expiresAt } = ctx.platform.terminals.issueTicket({ learner: ctx.learner.id, lab: labId, target });
    const query = new URLSearchParams({ ticket, lab: labId, target });
    return json({ ticket, expiresAt: new Date(expiresAt).toISOString(), path: `${ctx.platform.terminals.path}?${query}` });
  });
}
