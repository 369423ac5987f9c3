// POST /api/exams/attempts/:id/flag { index, flagged } — mark a task for review ({ attempt }).
import { z } from 'zod';
import { apiRoute, json } from '../../../../_lib/api-route.ts';
import { readBody } from '../../../../_lib/read-request.ts';
import { attemptId } from '../../../exam-http.ts';

export const dynamic = 'force-dynamic';

const flagBody = z.strictObject({ index: z.number().int().min(0).max(100), flagged: z.boolean() });

export async function POST(request: Request, { params }: { params: Promise<{ attemptId: string }> }): Promise<Response> {
  const raw = (await params).attemptId;
  return apiRoute(request, async (ctx) => {
    const b = await readBody(request, flagBody);
    return json({ attempt: await ctx.platform.practice.exams.flag(attemptId(raw), ctx.learner.id, b.index, b.flagged) });
  });
}
