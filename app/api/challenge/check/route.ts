// POST /api/challenge/check {labId, lesson} — the "Check" button: grade now and answer with the new view.
import { z } from 'zod';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField, lessonIdField } from '../../_lib/id-fields.ts';
import { readBody } from '../../_lib/read-request.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({ labId: labIdField(), lesson: lessonIdField() });

export async function POST(request: Request): Promise<Response> {
  return apiRoute(request, async ({ platform, learner }) => {
    const b = await readBody(request, body);
    return json(await platform.grader.checkNow({ ...b, learnerId: learner.id }));
  });
}
