// POST /api/exams/attempts/:id/ticket { index, target } — a terminal ticket for one task's lab while the attempt runs.
import { z } from 'zod';
import { json, labRoute, readBody } from '../../../../labs/_lib/lab-http.ts';
import { attemptId } from '../../../exam-http.ts';

export const dynamic = 'force-dynamic';

const ticketBody = z.strictObject({
  index: z.number().int().min(0).max(100),
  target: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'target must be a lab target name such as "node1"' }),
});

export async function POST(request: Request, { params }: { params: Promise<{ attemptId: string }> }): Promise<Response> {
  const raw = (await params).attemptId;
  return labRoute(request, async (ctx) => {
    const b = await readBody(request, ticketBody);
    const t = await ctx.platform.practice.exams.ticket(attemptId(raw), ctx.learner.id, b.index, b.target);
    return json({ ticket: t.ticket, expiresAt: new Date(t.expiresAt).toISOString(), path: t.path });
  });
}
