// What the browser may know about a lab (GET/POST /api/labs, reset): no container ids or names, ever (the browser
// names targets, never containers). Built by toLabView (lab-runner/lab/lab-view.ts).

export type LabStateView = 'pending' | 'ready' | 'paused' | 'failed' | 'destroyed';

export interface LabTargetView {
  name: string;
  title: string;
  kind: 'node' | 'jumpbox';
}

export interface ProvisionProgressView {
  step: number;
  totalSteps: number;
  label: string;
}

/** The lesson whose challenge setup ran (or runs) on a lab. */
export interface PreparedForView {
  lesson: string;
  title: string;
  href?: string;
}

export interface LabView {
  id: string;
  sandbox: string;
  state: LabStateView;
  targets: LabTargetView[];
  progress?: ProvisionProgressView;
  error?: string;
  createdAt: string;
  expiresAt: string;
  /**
   * The lesson whose challenge setup ran (or runs) on this lab, when one did. Labs are per sandbox, so it can be
   * another lesson than the page's: that lesson's challenge is then not graded until the lab is reset for it.
   * Filled by the routes (withPreparedFor), not by toLabView.
   */
  preparedFor?: PreparedForView;
}

/** One line of POST /api/labs's NDJSON answer: the lab as it comes up, or why it did not (the error body plus its status). */
export type LabStartLine = { type: 'lab'; lab: LabView } | { type: 'error'; status: number; error: string; code: string; retryAfter?: number };
