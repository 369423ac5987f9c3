// GET /api/files/list?lab&target[&dir] — a directory on a lab target for the editor's file browser
// ({ listing }); without dir, the home of the user the editor works as (root on nodes, learner on the jumpbox).
import { z } from 'zod';
import { LabFiles } from '../../../../lab-runner/index.ts';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField, targetField } from '../../_lib/id-fields.ts';
import { readQuery } from '../../_lib/read-request.ts';
import { liveTarget } from '../../labs/_lib/lab-http.ts';

export const dynamic = 'force-dynamic';

const listQuery = z.object({
  lab: labIdField('lab'),
  target: targetField(),
  dir: z.string().max(4096).optional(),
});

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const q = readQuery(request, listQuery);
    const { target } = await liveTarget(ctx, q.lab, q.target);
    const listing = await new LabFiles(ctx.platform.labs).list(q.lab, target, q.dir || undefined);
    return json({ listing });
  });
}
