// GET /api/challenge/state?labId=…&lesson=… — the challenge view once (no continuous grading).
import { z } from 'zod';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField, lessonIdField } from '../../_lib/id-fields.ts';
import { readQuery } from '../../_lib/read-request.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.object({ labId: labIdField(), lesson: lessonIdField() });

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async ({ platform, learner }) => {
    const q = readQuery(request, query);
    return json(await platform.grader.view({ labId: q.labId, lesson: q.lesson, learnerId: learner.id }));
  });
}
