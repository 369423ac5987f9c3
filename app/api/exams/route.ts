// /api/exams
//   GET   the exams ({ exams: ExamSummaryView[] }) and the learner's attempts ({ attempts: ExamAttemptSummaryView[] }).
//   POST  { exam } — start an attempt: draw, provision every task's lab, start the clock ({ attempt: ExamAttemptView }).
import { z } from 'zod';
import { apiRoute, json } from '../_lib/api-route.ts';
import { readBody } from '../_lib/read-request.ts';

export const dynamic = 'force-dynamic';

const startBody = z.strictObject({ exam: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'exam must be the slug of an exam' }) });

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => json({ exams: ctx.platform.practice.exams.list(), attempts: ctx.platform.practice.exams.attempts(ctx.learner.id) }));
}

export async function POST(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, startBody);
    return json({ attempt: await ctx.platform.practice.exams.start({ learnerId: ctx.learner.id, exam: body.exam, clientKey: ctx.client }) });
  });
}
