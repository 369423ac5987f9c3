// POST /api/labs/:labId/reset — fresh nodes for the same lab: terminals are closed first (their shells live in
// the containers being replaced). Labs whose runtime cannot reset in place are destroyed and started anew.
import { json, labRoute, ownLab } from '../../_lib/lab-http.ts';
import { toLabView } from '../../_lib/lab-view.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return labRoute(request, async (ctx) => {
    const lab = await ownLab(ctx, labId);
    if (lab.state === 'pending') return json({ error: 'The lab is still starting; reset it once it is ready.', code: 'lab-state' }, 409);
    const labs = ctx.platform.labs;
    ctx.platform.terminals.endLab(labId);
    if (lab.state === 'failed') {
      await labs.destroy(labId, 'reset after failure');
      await ctx.platform.grader.labReset(labId);
      return json({ lab: toLabView(await labs.create({ template: lab.template, learnerId: ctx.learner.id })) });
    }
    try {
      const fresh = await labs.reset(labId);
      await ctx.platform.grader.labReset(labId); // challenges: grade the fresh nodes from scratch; setup runs again
      return json({ lab: toLabView(fresh) });
    } catch (err) {
      if ((err as { code?: string }).code !== 'unsupported') throw err;
      await labs.destroy(labId, 'reset by the learner');
      await ctx.platform.grader.labReset(labId);
      return json({ lab: toLabView(await labs.create({ template: lab.template, learnerId: ctx.learner.id })) });
    }
  });
}
