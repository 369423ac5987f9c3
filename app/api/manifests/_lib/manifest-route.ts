// Apply and Diff share everything but the kubectl subcommand: body validation, the learner's own lab, its jumpbox.
import { z } from 'zod';
import { jumpboxOf, ManifestCommands, type LabTarget } from '../../../../lab-runner/index.ts';
import type { KubectlRun } from '../../../../lab-runner/wire/files.ts';
import { MAX_REQUEST_BODY_BYTES } from '../../../../lib/http/bounded-body.ts';
import { apiRoute, json } from '../../_lib/api-route.ts';
import { labIdField } from '../../_lib/id-fields.ts';
import { readBody } from '../../_lib/read-request.ts';
import { liveLab } from '../../labs/_lib/lab-http.ts';

const manifestBody = z.strictObject({
  lab: labIdField('lab'),
  manifest: z.string({ message: 'manifest is required: the YAML to send' }).max(1024 * 1024, { message: 'manifest must be at most 1 MiB' }),
  forceConflicts: z.boolean({ message: 'forceConflicts must be true or false' }).optional(),
});

export type ManifestAction = (commands: ManifestCommands, labId: string, jumpbox: LabTarget, body: z.infer<typeof manifestBody>) => Promise<KubectlRun>;

export function manifestRoute(request: Request, action: ManifestAction): Promise<Response> {
  return apiRoute(request, async (ctx) => {
    const body = await readBody(request, manifestBody, MAX_REQUEST_BODY_BYTES);
    const lab = await liveLab(ctx, body.lab);
    const jumpbox = jumpboxOf(lab);
    const result = await action(new ManifestCommands(ctx.platform.labs), body.lab, jumpbox, body);
    await ctx.platform.labs.touch(body.lab);
    // kubectl's own failure (a rejected object, an unreachable API server) is the learner's to read: 200 with ok=false.
    return json({ result });
  });
}
