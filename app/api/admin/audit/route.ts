// GET /api/admin/audit   (admin) the newest 200 trainer and admin actions: who, when, what.
import { HttpError } from '../../_lib/http-error.ts';
import { classroomRoute, json, signedIn } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    if (signedIn(ctx).role !== 'admin') throw new HttpError('forbidden', 'Only an admin can read the audit log.');
    return json({ entries: ctx.classroom.audit.recent(200) });
  });
}
