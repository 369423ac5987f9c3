// GET /api/exams/attempts/:id — the attempt ({ attempt: ExamAttemptView }); an attempt past its time is graded first.
import { json, labRoute } from '../../../labs/_lib/lab-http.ts';
import { attemptId } from '../../exam-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ attemptId: string }> }): Promise<Response> {
  const raw = (await params).attemptId;
  return labRoute(request, async (ctx) => json({ attempt: await ctx.platform.practice.exams.view(attemptId(raw), ctx.learner.id) }));
}
