// GET /api/auth/me   { mode, sso, account | null }: how this site identifies learners, and who is signed in.
// Asked by every page's classroom bar, so it never creates a learner or sets a cookie (AUTH=anonymous pages behave
// exactly as before: a learner appears on first lab use).
import { getAccountResolver } from '../../../../lib/auth/account-handle.ts';
import { getPlatform } from '../../../_server/platform-handle.ts';
import { json } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  let mode: string;
  let sso: boolean;
  try {
    const platform = getPlatform();
    mode = platform.config.AUTH;
    sso = platform.classroom.identity.sso;
  } catch {
    return json({ mode: 'anonymous', sso: false, account: null });
  }
  const a = await getAccountResolver()?.fromRequestHeaders(request.headers);
  return json({
    mode,
    sso,
    account: a ? { id: a.id, email: a.email, name: a.name, role: a.role } : null,
  });
}
