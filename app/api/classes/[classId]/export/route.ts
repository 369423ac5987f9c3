// GET /api/classes/:classId/export?format=csv|json   (trainer) per learner per task: passed at, attempts, hints used,
// solution revealed, time on task.
import { z } from 'zod';
import { exportRows, toCsv } from '../../../../../lab-runner/index.ts';
import { classIdParam, classroomRoute, json, parseParams, signedIn } from '../../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const query = z.strictObject({ format: z.enum(['csv', 'json'], { message: 'format must be csv or json' }).default('csv') });

export async function GET(request: Request, { params }: { params: Promise<{ classId: string }> }): Promise<Response> {
  const { classId } = await params;
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const id = parseParams(classIdParam, classId);
    const { format } = parseParams(query, Object.fromEntries(new URL(request.url).searchParams));
    const grid = await ctx.classroom.exportClass(actor, id, format);
    const rows = exportRows(grid);
    const file = `class-${grid.classId.slice(0, 8)}.${format}`;
    if (format === 'json')
      return json({ format: 'packetwalk-class-progress/1', class: grid.name, exportedAt: new Date().toISOString(), rows }, 200, {
        'content-disposition': `attachment; filename="${file}"`,
      });
    return new Response(toCsv(rows), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}"`, 'cache-control': 'no-store' },
    });
  });
}
