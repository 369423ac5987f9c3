// The learner's own lab, for every route that names one (labs, tickets, files, manifests): another learner's lab is
// 403, an unknown or stopped one 404, and routes that need a running lab get 409 while it is not.
import type { Lab, LabTarget, LiveLab } from '../../../../lab-runner/index.ts';
import type { RouteContext } from '../../_lib/api-route.ts';
import { HttpError } from '../../_lib/http-error.ts';
import { isLabId } from '../../_lib/id-fields.ts';

/** The lab, if it exists and belongs to this learner. */
export async function ownLab(ctx: RouteContext, labId: string): Promise<Lab> {
  if (!isLabId(labId)) throw new HttpError('not-found', `No lab with id ${labId}.`);
  const lab = await ctx.platform.labs.get(labId);
  if (!lab || lab.state === 'destroyed') throw new HttpError('not-found', `No lab with id ${labId}. It may have expired or been stopped; start a new one.`);
  if (lab.learnerId !== ctx.learner.id) throw new HttpError('forbidden', 'This lab belongs to another learner.');
  return lab;
}

/** What a route opens in a live lab, for the 409 that says why it cannot yet. */
export type LabUse = 'files' | 'terminals';

/** The learner's own lab, running (or paused: exec resumes it), for the editor's files and manifests and for terminals. */
export async function liveLab(ctx: RouteContext, labId: string, use: LabUse = 'files'): Promise<LiveLab> {
  const lab = await ownLab(ctx, labId);
  if (lab.state !== 'ready' && lab.state !== 'paused') {
    throw new HttpError(
      'conflict',
      lab.state === 'pending' ? `The lab is still starting; ${use} open once it is ready.` : `The lab is ${lab.state}; start it again to open ${use}.`,
    );
  }
  return lab;
}

/** The learner's own live lab and one of its targets (404 naming the targets it has). */
export async function liveTarget(ctx: RouteContext, labId: string, target: string, use: LabUse = 'files'): Promise<{ lab: LiveLab; target: LabTarget }> {
  const lab = await liveLab(ctx, labId, use);
  const t = lab.targets.find((x) => x.name === target);
  if (!t) throw new HttpError('not-found', `This lab has no target "${target}"; its targets are ${lab.targets.map((x) => x.name).join(', ')}.`);
  return { lab, target: t };
}
