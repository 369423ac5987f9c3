// POST /api/labs/:labId/reset — fresh nodes for the same lab: terminals are closed first (their shells live in
// the containers being replaced). Labs whose runtime cannot reset in place are destroyed and started anew.
// Body (optional): { lesson } — that lesson's challenge setup runs on the fresh nodes before the answer. The grader's
// labReset forgets which lesson the old nodes were set up for, so this is also how a lab kept from another lesson of
// the same sandbox becomes this lesson's (lab.preparedFor in the answer names it).
import { z } from 'zod';
import { LabRunnerError, toLabView, type Lab } from '../../../../../lab-runner/index.ts';
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { lessonIdField } from '../../../_lib/id-fields.ts';
import { readBody } from '../../../_lib/read-request.ts';
import { ownLab } from '../../_lib/lab-http.ts';
import { lessonToPrepare, prepareLesson, withPreparedFor } from '../../_lib/lesson-setup.ts';

const resetBody = z.strictObject({ lesson: lessonIdField().optional() });

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, resetBody);
    const lab = await ownLab(ctx, labId);
    if (lab.state === 'pending') throw new LabRunnerError('lab-state', 'The lab is still starting; reset it once it is ready.');
    const lesson = lessonToPrepare(body.lesson, lab.template);
    const labs = ctx.platform.labs;
    const answer = async (fresh: Lab) => {
      await prepareLesson(ctx, fresh.id, lesson);
      return json({ lab: await withPreparedFor(ctx, toLabView(fresh)) });
    };
    ctx.platform.terminals.endLab(labId);
    if (lab.state === 'failed') {
      await labs.destroy(labId, 'reset after failure');
      await ctx.platform.grader.labReset(labId);
      return answer(await labs.create({ template: lab.template, learnerId: ctx.learner.id }));
    }
    try {
      const fresh = await labs.reset(labId);
      await ctx.platform.grader.labReset(labId); // challenges: grade the fresh nodes from scratch; setup runs again
      return answer(fresh);
    } catch (err) {
      if ((err as { code?: string }).code !== 'unsupported') throw err;
      await labs.destroy(labId, 'reset by the learner');
      await ctx.platform.grader.labReset(labId);
      return answer(await labs.create({ template: lab.template, learnerId: ctx.learner.id }));
    }
  });
}
