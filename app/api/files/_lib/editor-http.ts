// Shared plumbing for the editor's route handlers (/api/files, /api/manifests): the lab routes' learner,
// platform and ownership handling, plus the statuses of file and manifest errors. Errors are matched on their
// stable `code` (errors thrown by the platform come from server.ts's module instances, not this bundle's).
import { z } from 'zod';
import { HttpError, json, labRoute, ownLab, type RouteContext } from '../../labs/_lib/lab-http.ts';
import type { LabTarget, LiveLab } from '../../../../lab-runner/lab/lab.ts';
import { editPolicy, lessonEditFiles, type EditPolicy } from '../../../../lab-runner/files/index.ts';

export { HttpError, json, readBody, type RouteContext } from '../../labs/_lib/lab-http.ts';

const STATUS_BY_CODE: Record<string, number> = {
  'path-invalid': 422,
  'path-not-allowed': 403,
  'permission-denied': 403,
  'file-not-found': 404,
  'directory-missing': 404,
  'file-gone': 410,
  'not-a-file': 422,
  'file-too-large': 413,
  'file-binary': 415,
  'file-conflict': 409,
  'file-op-failed': 502,
  'no-cluster': 409,
  'manifest-invalid': 422,
  'cluster-schema': 502,
};

/** Fields of an error worth sending to the browser beyond its message (conflict versions, YAML issues, limits). */
function extraOf(err: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const key of ['expected', 'current', 'issues', 'allowed', 'size', 'limit']) if (key in err) extra[key] = err[key];
  return extra;
}

/** A lab route whose file and manifest errors get their own statuses; anything else goes to the lab mapping. */
export function editorRoute(request: Request, handle: (ctx: RouteContext) => Promise<Response>): Promise<Response> {
  return labRoute(request, async (ctx) => {
    try {
      return await handle(ctx);
    } catch (err) {
      const e = err as Record<string, unknown>;
      const status = typeof e?.code === 'string' ? STATUS_BY_CODE[e.code] : undefined;
      if (status === undefined) throw err;
      return json({ error: String(e.message), code: e.code, ...extraOf(e) }, status);
    }
  });
}

export const labIdParam = z
  .string({ message: 'lab is required: the id of your lab' })
  .regex(/^[A-Za-z0-9_-]{1,128}$/, { message: 'lab must be a lab id' });
export const targetParam = z
  .string({ message: 'target is required: a lab target such as "node1"' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'target must be a lab target name such as "node1"' });
export const lessonParam = z
  .string()
  .regex(/^[a-z0-9-]{1,80}\/[a-z0-9-]{1,80}$/, { message: 'lesson must be a lesson id such as "pods/pods-and-network-namespaces"' })
  .optional();
export const pathParam = z.string({ message: 'path is required: an absolute path such as /root/notes.txt' }).min(1, { message: 'path must not be empty' }).max(4096);

/** Query parameters validated with a zod object; 422 naming each bad one. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  const result = schema.safeParse(params);
  if (!result.success) {
    const fields: Record<string, string> = {};
    for (const issue of result.error.issues) fields[issue.path.join('.') || 'query'] ??= issue.message;
    throw new HttpError(422, `Invalid request: ${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ')}`, { fields });
  }
  return result.data;
}

/** The learner's own lab, running (or paused: exec resumes it), and one of its targets. */
export async function liveTarget(ctx: RouteContext, labId: string, target: string): Promise<{ lab: LiveLab; target: LabTarget }> {
  const lab = await liveLab(ctx, labId);
  const t = lab.targets.find((x) => x.name === target);
  if (!t) throw new HttpError(404, `This lab has no target "${target}"; its targets are ${lab.targets.map((x) => x.name).join(', ')}.`);
  return { lab, target: t };
}

export async function liveLab(ctx: RouteContext, labId: string): Promise<LiveLab> {
  const lab = await ownLab(ctx, labId);
  if (lab.state !== 'ready' && lab.state !== 'paused') {
    throw new HttpError(409, lab.state === 'pending' ? 'The lab is still starting; files open once it is ready.' : `The lab is ${lab.state}; start it again to open files.`);
  }
  return lab;
}

/** Where the editor may save in this lesson: the base trees plus the files its <Edit> actions name. */
export function lessonPolicy(lesson: string | undefined): EditPolicy {
  return editPolicy(lessonEditFiles(lesson));
}
