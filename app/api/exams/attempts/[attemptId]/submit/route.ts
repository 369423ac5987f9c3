// POST /api/exams/attempts/:id/submit — grade every task once and end the attempt ({ attempt } with score and verdicts).
import { apiRoute, json } from '../../../../_lib/api-route.ts';
import { attemptId } from '../../../exam-http.ts';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ attemptId: string }> }): Promise<Response> {
  const raw = (await params).attemptId;
  return apiRoute(request, async (ctx) => json({ attempt: await ctx.platform.practice.exams.submit(attemptId(raw), ctx.learner.id) }));
}
