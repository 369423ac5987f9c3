// What the browser may know about a lab: no container ids or names (the browser never names a container).
import type { Lab, ProvisionProgress } from '../../../../lab-runner/lab/lab.ts';

export interface LabTargetView {
  name: string;
  title: string;
  kind: 'node' | 'jumpbox';
}

export interface LabView {
  id: string;
  sandbox: string;
  state: Lab['state'];
  targets: LabTargetView[];
  progress?: ProvisionProgress;
  error?: string;
  createdAt: string;
  expiresAt: string;
  /**
   * The lesson whose challenge setup ran (or runs) on this lab, when one did. Labs are per sandbox, so it can be
   * another lesson than the page's: that lesson's challenge is then not graded until the lab is reset for it.
   * Filled by the routes (withPreparedFor in lesson-setup.ts), not by toLabView.
   */
  preparedFor?: { lesson: string; title: string; href?: string };
}

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
