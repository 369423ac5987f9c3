// POST /api/auth/register { email, name, password }   (AUTH=accounts) creates a learner account and signs it in.
// The anonymous learner making the request becomes the account: their labs and progress stay theirs.
import { z } from 'zod';
import { classroomRoute, readBody } from '../../_classroom/classroom-http.ts';
import { emailField, nameField, passwordField, signInClient, signedInResponse } from '../auth-fields.ts';

export const dynamic = 'force-dynamic';

const body = z.strictObject({
  email: emailField,
  name: nameField,
  password: passwordField,
});

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const input = await readBody(request, body);
    const signed = await ctx.classroom.identity.register({
      ...input,
      client: signInClient(request),
      headers: request.headers,
    });
    return signedInResponse(request, signed);
  });
}
