// POST /api/challenge/reset {labId, lesson} — "reset lab": destroy the learner's lab, create a fresh one from the same
// template and run the lesson's setup again (break-fix faults come back). Answers with the new lab id.
import { z } from 'zod';
import { caller, errorResponse, json, labIdField, lessonField, readBody } from '../challenge-route.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const body = z.strictObject({ labId: labIdField, lesson: lessonField });

export async function POST(request: Request): Promise<Response> {
  const { platform, learner } = caller(request);
  const b = await readBody(request, body);
  if (b instanceof Response) return b;
  try {
    const old = await platform.labs.get(b.labId);
    if (!old || old.learnerId !== learner.id) return json({ error: `No lab ${b.labId} for you.`, code: 'lab-not-found' }, learner, 404);
    await platform.grader.forgetLab(b.labId);
    await platform.labs.destroy(b.labId, 'reset by the learner');
    const lab = await platform.labs.create({ template: old.template, learnerId: learner.id });
    await platform.grader.prepareLab(lab.id, b.lesson);
    return json({ labId: lab.id, view: await platform.grader.view({ labId: lab.id, lesson: b.lesson, learnerId: learner.id }) }, learner);
  } catch (err) {
    return errorResponse(err, learner);
  }
}
