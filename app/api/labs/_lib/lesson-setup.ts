// The optional `lesson` of a lab start or reset: validated against the course, so the route can run that lesson's
// challenge setup (break-fix faults) before it reports the lab ready, rather than when the Challenge panel connects.
import { z } from 'zod';
import { getCourse } from '../../../../lib/content/site-content.ts';
import type { RouteContext } from './lab-http.ts';
import { HttpError } from './lab-http.ts';

export const lessonId = z
  .string()
  .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, { message: 'lesson must be a lesson id such as "pods/pods-and-network-namespaces" (module slug / lesson slug)' });

/**
 * The lesson whose challenge setup must run on a lab of `sandbox`, or undefined when there is nothing to prepare (no
 * lesson given, or a lesson without a challenge). A lesson that does not exist or runs in another sandbox is a 422.
 */
export function lessonToPrepare(lesson: string | undefined, sandbox: string): string | undefined {
  if (lesson === undefined) return undefined;
  const entry = getCourse().lessons.find((l) => l.id === lesson);
  if (!entry) {
    const message = `lesson "${lesson}" is not a lesson of this course; send the id of the lesson page the lab is for, or leave lesson out`;
    throw new HttpError(422, `Invalid request: ${message}`, { fields: { lesson: message } });
  }
  const { sandbox: own, kindSandbox } = entry.frontmatter;
  if (sandbox !== own && sandbox !== kindSandbox) {
    const message = `lesson "${lesson}" runs in sandbox ${[own, kindSandbox].filter(Boolean).join(' or ')}, not ${sandbox}`;
    throw new HttpError(422, `Invalid request: ${message}`, { fields: { lesson: message } });
  }
  return entry.challengeFile ? lesson : undefined;
}

/**
 * Runs the lesson's setup on the lab (once per lab: the grader shares a running or finished setup). Never rejects: a
 * failed setup is the Challenge panel's to report, and the lab itself is still usable.
 */
export function prepareLesson(ctx: RouteContext, labId: string, lesson: string | undefined): Promise<void> {
  return lesson ? ctx.platform.grader.prepareLab(labId, lesson).catch(() => {}) : Promise.resolve();
}
