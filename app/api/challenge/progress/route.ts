// GET /api/challenge/progress — the learner's per-lesson progress for the catalog.
import { caller, errorResponse, json } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  try {
    // A brand-new visitor has no progress (all zeros) and gets no cookie just for looking at the catalog.
    return json({ lessons: await platform.grader.catalog(learner.id) }, learner.isNew ? undefined : learner);
  } catch (err) {
    return errorResponse(err, learner);
  }
}
