// POST /api/challenge/hint {labId, lesson, taskId} — reveal the task's next hint (recorded in progress).
import { z } from 'zod';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField, lessonIdField, taskIdField } from '../../_lib/id-fields.ts';
import { readBody } from '../../_lib/read-request.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({ labId: labIdField(), lesson: lessonIdField(), taskId: taskIdField() });

export async function POST(request: Request): Promise<Response> {
  return apiRoute(request, async ({ platform, learner }) => {
    const b = await readBody(request, body);
    return json(await platform.grader.revealHint({ labId: b.labId, lesson: b.lesson, learnerId: learner.id }, b.taskId));
  });
}
