// POST /api/exams/attempts/:id/ticket?task=N { target } — a terminal ticket for task N's lab while the attempt runs.
// Same body and answer as /api/labs/:id/ticket, so the browser terminal uses it unchanged (its ticketUrl).
import { z } from 'zod';
import { apiRoute, json } from '../../../../_lib/api-route.ts';
import { readBody } from '../../../../_lib/read-request.ts';
import { HttpError } from '../../../../_lib/http-error.ts';
import { attemptId } from '../../../exam-http.ts';

export const dynamic = 'force-dynamic';

const ticketBody = z.strictObject({
  target: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'target must be a lab target name such as "node1"' }),
});

export async function POST(request: Request, { params }: { params: Promise<{ attemptId: string }> }): Promise<Response> {
  const raw = (await params).attemptId;
  return apiRoute(request, async (ctx) => {
    const task = Number(new URL(request.url).searchParams.get('task'));
    if (!Number.isInteger(task) || task < 0 || task > 100)
      throw new HttpError('invalid-request', 'Invalid request: task must be the index of a task of the attempt', { fields: { task: 'a task index' } });
    const b = await readBody(request, ticketBody);
    const t = await ctx.platform.practice.exams.ticket(attemptId(raw), ctx.learner.id, task, b.target);
    return json({ ticket: t.ticket, expiresAt: new Date(t.expiresAt).toISOString(), path: t.path });
  });
}
