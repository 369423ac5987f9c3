// POST /api/challenge/solution {labId, lesson, taskId, confirm: true} — reveal the worked solution, marked in progress.
// "confirm" must be literally true: the page asks the learner first, and a stray request cannot reveal it.
import { z } from 'zod';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField, lessonIdField, taskIdField } from '../../_lib/id-fields.ts';
import { readBody } from '../../_lib/read-request.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({
  labId: labIdField(),
  lesson: lessonIdField(),
  taskId: taskIdField(),
  confirm: z.literal(true, { message: 'confirm must be true: revealing the solution is recorded in your progress' }),
});

export async function POST(request: Request): Promise<Response> {
  return apiRoute(request, async ({ platform, learner }) => {
    const b = await readBody(request, body);
    return json(await platform.grader.revealSolution({ labId: b.labId, lesson: b.lesson, learnerId: learner.id }, b.taskId));
  });
}
