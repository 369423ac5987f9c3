// POST /api/challenge/solution {labId, lesson, taskId, confirm: true} — reveal the worked solution, marked in progress.
// "confirm" must be literally true: the page asks the learner first, and a stray request cannot reveal it.
import { z } from 'zod';
import { caller, errorResponse, json, labIdField, lessonField, readBody, taskIdField } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({
  labId: labIdField,
  lesson: lessonField,
  taskId: taskIdField,
  confirm: z.literal(true, { message: 'confirm must be true: revealing the solution is recorded in your progress' }),
});

export async function POST(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  const b = await readBody(request, body);
  if (b instanceof Response) return b;
  try {
    return json(await platform.grader.revealSolution({ labId: b.labId, lesson: b.lesson, learnerId: learner.id }, b.taskId), learner);
  } catch (err) {
    return errorResponse(err, learner);
  }
}
