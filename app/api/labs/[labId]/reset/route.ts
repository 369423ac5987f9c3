// POST /api/labs/:labId/reset — fresh nodes for the same lab (platform.lifecycle.reset: terminals closed first, the
// lab reset in place or destroyed and started anew, grading from scratch). 409 while the lab is still starting.
// Body (optional): { lesson } — that lesson's challenge setup runs on the fresh nodes before the answer. The reset
// forgets which lesson the old nodes were set up for, so this is also how a lab kept from another lesson of the same
// sandbox becomes this lesson's (lab.preparedFor in the answer names it).
import { z } from 'zod';
import { toLabView } from '../../../../../lab-runner/index.ts';
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { lessonIdField } from '../../../_lib/id-fields.ts';
import { readBody } from '../../../_lib/read-request.ts';
import { ownLab } from '../../_lib/lab-http.ts';
import { lessonToPrepare, withPreparedFor } from '../../_lib/lesson-setup.ts';

const resetBody = z.strictObject({ lesson: lessonIdField().optional() });

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ labId: string }> }): Promise<Response> {
  const { labId } = await params;
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, resetBody);
    const lab = await ownLab(ctx, labId);
    // A lab still starting is refused (409) by the lifecycle before its lesson is looked at.
    const lesson = lab.state === 'pending' ? undefined : lessonToPrepare(body.lesson, lab.template);
    const fresh = await ctx.platform.lifecycle.reset(lab, { lesson });
    return json({ lab: await withPreparedFor(ctx, toLabView(fresh)) });
  });
}
