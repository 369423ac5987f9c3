// GET /api/exams/attempts/:id — the attempt ({ attempt: ExamAttemptView }); an attempt past its time is graded first.
import { apiRoute, json } from '../../../_lib/api-route.ts';
import { attemptId } from '../../exam-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ attemptId: string }> }): Promise<Response> {
  const raw = (await params).attemptId;
  return apiRoute(request, async (ctx) => json({ attempt: await ctx.platform.practice.exams.view(attemptId(raw), ctx.learner.id) }));
}
