// POST /api/challenge/check {labId, lesson} — the "Check" button: grade now and answer with the new view.
import { z } from 'zod';
import { caller, errorResponse, json, labIdField, lessonField, readBody } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({ labId: labIdField, lesson: lessonField });

export async function POST(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  const b = await readBody(request, body);
  if (b instanceof Response) return b;
  try {
    return json(await platform.grader.checkNow({ ...b, learnerId: learner.id }), learner);
  } catch (err) {
    return errorResponse(err, learner);
  }
}
