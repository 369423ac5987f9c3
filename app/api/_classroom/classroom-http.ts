// Shared plumbing of the classroom routes (accounts, classes, dashboard) on top of the one route wrapper: who is
// signed in and parameter validation (zod, 422 naming the field); streams use app/api/_lib/sse.ts. Statuses come
// from the one table (app/api/_lib/error-status.ts) like every route's.
// Routes stay thin: validate -> call one Classroom method -> return a view.
import { z } from 'zod';
import type { Account, Classroom } from '../../../lab-runner/index.ts';
import { ClassroomError } from '../../../lab-runner/index.ts';
import { apiRoute, type RouteContext } from '../_lib/api-route.ts';
import { invalidRequest } from '../_lib/invalid-request.ts';

export { json } from '../_lib/api-route.ts';
export { readBody } from '../_lib/read-request.ts';

export interface ClassroomContext extends RouteContext {
  classroom: Classroom;
  /** The signed-in account, if any. */
  account: Account | undefined;
}

/** The signed-in account, or 401. */
export function signedIn(ctx: ClassroomContext): Account {
  if (!ctx.account)
    throw new ClassroomError(
      'unauthenticated',
      ctx.platform.config.AUTH === 'anonymous' ? 'Classes need accounts: this site runs with AUTH=anonymous.' : 'Sign in first.',
    );
  return ctx.account;
}

/** apiRoute plus the signed-in account, read fresh from the store on every request: a role change applies at once. */
export async function classroomRoute(request: Request, handle: (ctx: ClassroomContext) => Promise<Response>): Promise<Response> {
  return apiRoute(request, (ctx) => {
    const account = ctx.learner.account ? ctx.platform.classroom.accounts.byId(ctx.learner.account.id) : undefined;
    return handle({ ...ctx, classroom: ctx.platform.classroom, account });
  });
}

/** Validates route parameters (422 naming the parameter). */
export function parseParams<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw invalidRequest(r.error, 'query');
}

export const classIdParam = z.uuid({ message: 'classId must be a class id' });
export const userIdParam = z.uuid({ message: 'userId must be a learner id from the class' });

/** A path on this site to come back to after signing in: relative, never "//host" or a scheme. */
export const returnToField = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, { message: 'returnTo must be a path on this site such as /classes' });
