// GET /api/auth/me   { mode, account | null }: how this site identifies learners, and who is signed in.
// Asked by every page's classroom bar, so it never creates a learner or sets a cookie (AUTH=anonymous pages behave
// exactly as before: a learner appears on first lab use).
import { getAccountResolver } from '../../../../lib/auth/account-handle.ts';
import { readSessionToken } from '../../../../lib/auth/session-cookie.ts';
import { getPlatform } from '../../../../lib/platform-handle.ts';
import { json } from '../../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  let mode: string;
  try {
    mode = getPlatform().config.AUTH;
  } catch {
    return json({ mode: 'anonymous', account: null });
  }
  const token = readSessionToken(request.headers.get('cookie'));
  const a = token ? getAccountResolver()?.fromSessionToken(token) : undefined;
  return json({ mode, account: a ? { id: a.id, email: a.email, name: a.name, role: a.role } : null });
}
