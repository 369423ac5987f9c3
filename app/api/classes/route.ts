// GET  /api/classes   { teaching, joined }: a trainer's own classes (an admin's: all), a learner's joined ones.
// POST /api/classes   { name, lessons[], startsAt, endsAt, capacity, enrollExpiresAt?, prewarm? }   trainers only.
import { z } from 'zod';
import { classroomRoute, json, readBody, signedIn } from '../_classroom/classroom-http.ts';

export const dynamic = 'force-dynamic';

const lessonId = z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { message: 'each lesson must be a lesson id such as pods/pods-and-network-namespaces' });
const time = z.iso.datetime({ offset: true, message: 'must be an ISO date-time such as 2026-03-01T09:00:00Z' }).transform((v) => Date.parse(v));

const body = z.strictObject({
  name: z.string().trim().min(1, { message: 'name is required' }).max(120),
  lessons: z.array(lessonId).min(1, { message: 'a class covers at least one lesson' }).max(50),
  startsAt: time,
  endsAt: time,
  capacity: z.number().int().min(1).max(1000),
  enrollExpiresAt: time.optional(),
  prewarm: z.boolean().default(false),
});

export async function GET(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => json(ctx.classroom.listClasses(signedIn(ctx))));
}

export async function POST(request: Request): Promise<Response> {
  return classroomRoute(request, async (ctx) => {
    const actor = signedIn(ctx);
    const input = await readBody(request, body);
    return json({ class: await ctx.classroom.createClass(actor, input) }, 201);
  });
}
