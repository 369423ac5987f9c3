// POST /api/challenge/hint {labId, lesson, taskId} — reveal the task's next hint (recorded in progress).
import { z } from 'zod';
import { caller, errorResponse, json, labIdField, lessonField, readBody, taskIdField } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({ labId: labIdField, lesson: lessonField, taskId: taskIdField });

export async function POST(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  const b = await readBody(request, body);
  if (b instanceof Response) return b;
  try {
    return json(await platform.grader.revealHint({ labId: b.labId, lesson: b.lesson, learnerId: learner.id }, b.taskId), learner);
  } catch (err) {
    return errorResponse(err, learner);
  }
}
