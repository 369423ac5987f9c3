// POST /api/auth/login { email, password }   (AUTH=accounts) signs in; rate-limited per address and per email.
// The anonymous learner's progress and labs move to the account.
import { z } from 'zod';
import { classroomRoute, readBody } from '../../_classroom/classroom-http.ts';
import { emailField, signInClient, signedInResponse } from '../auth-fields.ts';

export const dynamic = 'force-dynamic';

const body = z.strictObject({
  email: emailField,
  password: z.string().min(1, { message: 'password is required' }).max(256),
});

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const input = await readBody(request, body);
    const signed = await ctx.classroom.identity.login({
      ...input,
      client: signInClient(request),
      headers: request.headers,
    });
    return signedInResponse(request, signed);
  });
}
