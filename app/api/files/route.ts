// /api/files — files on the learner's lab targets, for the editor.
//   GET  ?lab&target&path[&lesson]   open a text file: { file: OpenedFile, allowed: string[] }
//   GET  ?lab&target&path&stat=1      its current version only: { version } (the editor polls this to notice changes)
//   PUT  { lab, target, path, content, expected, lesson? }
//        save; `expected` is the sha256 the editor opened, "absent" for a new file, "any" to overwrite.
//        409 { current } when the file changed in the lab meanwhile, 410 when it was deleted, 403 outside the lesson's paths.
import { z } from 'zod';
import { isExpectedVersion, LabFiles } from '../../../lab-runner/index.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../../lib/http/bounded-body.ts';
import { apiRoute, json } from '../_lib/api-route.ts';
import { labIdField, lessonIdField, targetField } from '../_lib/id-fields.ts';
import { readBody, readQuery } from '../_lib/read-request.ts';
import { liveTarget } from '../labs/_lib/lab-http.ts';
import { lessonPolicy, pathField } from './_lib/editor-fields.ts';

export const dynamic = 'force-dynamic';

const openQuery = z.object({
  lab: labIdField('lab'),
  target: targetField(),
  path: pathField,
  lesson: lessonIdField().optional(),
  stat: z.enum(['1'], { message: 'stat must be 1 when given' }).optional(),
});

const saveBody = z.strictObject({
  lab: labIdField('lab'),
  target: targetField(),
  path: pathField,
  content: z.string({ message: 'content is required: the full text of the file' }),
  expected: z
    .string({ message: 'expected is required: the sha256 you opened, "absent" for a new file or "any" to overwrite' })
    .refine(isExpectedVersion, { message: 'expected must be a sha256 (64 hex digits), "absent" or "any"' }),
  lesson: lessonIdField().optional(),
});

export async function GET(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const q = readQuery(request, openQuery);
    const { target } = await liveTarget(ctx, q.lab, q.target);
    const files = new LabFiles(ctx.platform.labs);
    if (q.stat) return json({ version: await files.stat(q.lab, target, q.path) });
    const policy = lessonPolicy(q.lesson);
    const file = await files.read(q.lab, target, q.path, policy);
    await ctx.platform.labs.touch(q.lab);
    return json({ file, allowed: policy.allow });
  });
}

export async function PUT(request: Request): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, saveBody, MAX_REQUEST_BODY_BYTES);
    const { target } = await liveTarget(ctx, body.lab, body.target);
    const saved = await new LabFiles(ctx.platform.labs).write(body.lab, target, {
      path: body.path,
      content: body.content,
      expected: body.expected,
      policy: lessonPolicy(body.lesson),
    });
    await ctx.platform.labs.touch(body.lab);
    return json({ saved });
  });
}
