// POST /api/labs/:labId/reset — fresh nodes for the same lab (platform.lifecycle.reset: terminals closed first, the
// lab reset in place or destroyed and started anew, grading from scratch). 409 while the lab is still starting.
// Body (optional): { lesson } — that lesson's challenge setup runs on the fresh nodes before the answer. The reset
// forgets which lesson the old nodes were set up for, so this is also how a lab kept from another lesson of the same
// sandbox becomes this lesson's (lab.preparedFor in the answer names it).
import { z } from 'zod';
import { json, labRoute, ownLab, readBody } from '../../_lib/lab-http.ts';
import { lessonId, lessonToPrepare, withPreparedFor } from '../../_lib/lesson-setup.ts';
import { toLabView } from '../../_lib/lab-view.ts';

const resetBody = z.strictObject({ lesson: lessonId.optional() });

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return labRoute(request, async (ctx) => {
    const body = await readBody(request, resetBody);
    const lab = await ownLab(ctx, labId);
    // A lab still starting is refused (409) by the lifecycle before its lesson is looked at.
    const lesson = lab.state === 'pending' ? undefined : lessonToPrepare(body.lesson, lab.template);
    const fresh = await ctx.platform.lifecycle.reset(lab, { lesson });
    return json({ lab: await withPreparedFor(ctx, toLabView(fresh)) });
  });
}
