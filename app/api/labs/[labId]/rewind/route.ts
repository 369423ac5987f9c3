// POST /api/labs/:labId/rewind { lesson, taskId? } — "Rewind to before this task": the lab is rebuilt (fresh nodes, the
// lesson's setup with the same random draw, then the solutions of the tasks passed before this one) and the answer is
// { rewind: RewindView, lab: LabView }. Works on a gone lab too (expired, idle): a new lab is started and rebuilt.
import { z } from 'zod';
import { json, labRoute, readBody } from '../../_lib/lab-http.ts';
import { lessonId } from '../../_lib/lesson-setup.ts';
import { toLabView } from '../../_lib/lab-view.ts';
import { validLabId } from '../../_lib/practice-http.ts';

export const dynamic = 'force-dynamic';

const rewindBody = z.strictObject({
  lesson: lessonId,
  /** Omitted: rewind to where the learner was (before the first task not passed), e.g. after the lab expired. */
  taskId: z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, { message: 'taskId must be a task id from the challenge' }).optional(),
});

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return labRoute(request, async (ctx) => {
    const body = await readBody(request, rewindBody);
    const rewind = await ctx.platform.practice.rewind.rewind({ learnerId: ctx.learner.id, lesson: body.lesson, taskId: body.taskId, labId: validLabId(labId), clientKey: ctx.client });
    const lab = await ctx.platform.labs.get(rewind.labId);
    return json({ rewind, lab: lab ? toLabView(lab) : null });
  });
}
