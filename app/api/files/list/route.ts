// GET /api/files/list?lab&target[&dir] — a directory on a lab target for the editor's file browser
// ({ listing }); without dir, the home of the user the editor works as (root on nodes, learner on the jumpbox).
import { z } from 'zod';
import { LabFiles } from '../../../../lab-runner/files/index.ts';
import { editorRoute, json, labIdParam, liveTarget, readQuery, targetParam } from '../_lib/editor-http.ts';

export const dynamic = 'force-dynamic';

const listQuery = z.object({
  lab: labIdParam,
  target: targetParam,
  dir: z.string().max(4096).optional(),
});

export async function GET(request: Request): Promise<Response> {
  return editorRoute(request, async (ctx) => {
    const q = readQuery(request, listQuery);
    const { target } = await liveTarget(ctx, q.lab, q.target);
    const listing = await new LabFiles(ctx.platform.labs).list(q.lab, target, q.dir || undefined);
    return json({ listing });
  });
}
