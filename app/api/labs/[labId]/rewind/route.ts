// POST /api/labs/:labId/rewind { lesson, taskId? } — "Rewind to before this task": the lab is rebuilt (fresh nodes, the
// lesson's setup with the same random draw, then the solutions of the tasks passed before this one) and the answer is
// { rewind: RewindView, lab: LabView }. Works on a gone lab too (expired, idle): a new lab is started and rebuilt.
import { z } from 'zod';
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { readBody } from '../../../_lib/read-request.ts';
import { toLabView } from '../../../../../lab-runner/index.ts';
import { lessonIdField, taskIdField } from '../../../_lib/id-fields.ts';
import { validLabId } from '../../_lib/practice-http.ts';

export const dynamic = 'force-dynamic';

const rewindBody = z.strictObject({
  lesson: lessonIdField(),
  /** Omitted: rewind to where the learner was (before the first task not passed), e.g. after the lab expired. */
  taskId: taskIdField().optional(),
});

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, rewindBody);
    const rewind = await ctx.platform.practice.rewind.rewind({
      learnerId: ctx.learner.id,
      lesson: body.lesson,
      taskId: body.taskId,
      labId: validLabId(labId),
      clientKey: ctx.client,
    });
    const lab = await ctx.platform.labs.get(rewind.labId);
    return json({ rewind, lab: lab ? toLabView(lab) : null });
  });
}
