// The optional `lesson` of a lab start or reset: validated against the course, so the route can run that lesson's
// challenge setup (break-fix faults) before it reports the lab ready, rather than when the Challenge panel connects.
import { getCourse } from '../../../../course/content/site-content.ts';
import type { LabView } from '../../../../lab-runner/wire/lab.ts';
import type { RouteContext } from '../../_lib/api-route.ts';
import { HttpError } from '../../_lib/http-error.ts';

/**
 * The lesson whose challenge setup must run on a lab of `sandbox`, or undefined when there is nothing to prepare (no
 * lesson given, or a lesson without a challenge). A lesson that does not exist or runs in another sandbox is a 422.
 */
export function lessonToPrepare(lesson: string | undefined, sandbox: string): string | undefined {
  if (lesson === undefined) return undefined;
  const entry = getCourse().lessons.find((l) => l.id === lesson);
  if (!entry) {
    const message = `lesson "${lesson}" is not a lesson of this course; send the id of the lesson page the lab is for, or leave lesson out`;
    throw new HttpError('invalid-request', `Invalid request: ${message}`, { fields: { lesson: message } });
  }
  const { sandbox: own, kindSandbox } = entry.frontmatter;
  if (sandbox !== own && sandbox !== kindSandbox) {
    const message = `lesson "${lesson}" runs in sandbox ${[own, kindSandbox].filter(Boolean).join(' or ')}, not ${sandbox}`;
    throw new HttpError('invalid-request', `Invalid request: ${message}`, { fields: { lesson: message } });
  }
  return entry.challengeFile ? lesson : undefined;
}

/**
 * Runs the lesson's setup on the lab (once per lab: the grader shares a running or finished setup). Never rejects: a
 * failed setup is the Challenge panel's to report, and the lab itself is still usable. A lab already prepared for
 * another lesson is left as it is (the grader refuses to stack setups); the answer's preparedFor tells the page.
 */
export function prepareLesson(ctx: RouteContext, labId: string, lesson: string | undefined): Promise<void> {
  return lesson
    ? ctx.platform.grader.prepareLab(labId, lesson).then(
        () => {},
        () => {},
      )
    : Promise.resolve();
}

/**
 * The lab view with the lesson its challenge setup ran for (title from the course, for the page's notice). A lesson
 * that has left the course since keeps its id as title. A store that cannot answer leaves preparedFor out rather than
 * failing the request: the Challenge panel reports the same fact from the grader.
 */
export async function withPreparedFor(ctx: RouteContext, view: LabView): Promise<LabView> {
  let lesson: string | undefined;
  try {
    lesson = await ctx.platform.grader.preparedLesson(view.id);
  } catch {
    return view;
  }
  if (lesson === undefined) return view;
  const entry = getCourse().lessons.find((l) => l.id === lesson);
  return { ...view, preparedFor: { lesson, title: entry?.frontmatter.title ?? lesson, ...(entry ? { href: entry.href } : {}) } };
}
