// A lab as the browser sees it (lab-runner/wire/lab.ts): the engine's record without container ids or names.
import type { LabView } from '../wire/lab.ts';
import type { Lab } from './lab.ts';

export function toLabView(lab: Lab): LabView {
  const view: LabView = {
    id: lab.id,
    sandbox: lab.template,
    state: lab.state,
    targets: [],
    createdAt: lab.createdAt.toISOString(),
    expiresAt: lab.expiresAt.toISOString(),
  };
  if (lab.state === 'ready' || lab.state === 'paused') view.targets = lab.targets.map((t) => ({ name: t.name, title: t.title, kind: t.kind }));
  if (lab.state === 'pending') view.progress = lab.progress;
  if (lab.state === 'failed') view.error = lab.error;
  return view;
}

/** Pending, ready and paused labs hold resources and count against the learner's limit. */
export function isActive(lab: Lab): boolean {
  return lab.state === 'pending' || lab.state === 'ready' || lab.state === 'paused';
}
