// GET /api/challenge/progress — the learner's per-lesson progress for the catalog.
import type { ProgressCatalogView } from '../../../../lab-runner/wire/challenge.ts';
import { apiRoute, json } from '../../_lib/api-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request): Promise<Response> {
  // A brand-new visitor has no progress (all zeros) and gets no cookie just for looking at the catalog.
  return apiRoute(request, async ({ platform, learner }) => json({ lessons: await platform.grader.catalog(learner.id) } satisfies ProgressCatalogView), {
    cookieForNewLearner: false,
  });
}
