// GET /api/challenge/state?labId=…&lesson=… — the challenge view once (no continuous grading).
import { z } from 'zod';
import { caller, errorResponse, json, labIdField, lessonField, readQuery } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const query = z.object({ labId: labIdField, lesson: lessonField });

export async function GET(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  const q = readQuery(request, query);
  if (q instanceof Response) return q;
  try {
    return json(await platform.grader.view({ labId: q.labId, lesson: q.lesson, learnerId: learner.id }), learner);
  } catch (err) {
    return errorResponse(err, learner);
  }
}
