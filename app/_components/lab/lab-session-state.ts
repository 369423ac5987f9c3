// The lab session as data: where the learner's lab is (a union: each phase carries exactly what it has), which
// terminals report what, and which tab of the lab pane is in front. A pure reducer moves it on actions, so the
// provider (lab-session.tsx) only runs the requests and dispatches their outcomes.
// To add a phase or a pane feature: add a variant or a field here, an action for what changes it, and a selector;
// the exhaustive switches make the compiler point at every place that must handle it.
import type { StatusDetail } from '../terminal/terminal-connection.ts';
import type { LabView } from './lab-client.ts';

/** Where the lab is. `lab` is present exactly in the phases where one exists. */
export type LabStatus =
  /** Looking up the learner's lab for this sandbox (after hydration, and after switching sandbox). */
  | { phase: 'checking' }
  /** No lab; `error` says why the last attempt failed. */
  | { phase: 'idle'; error?: string }
  /** Provisioning: `lab` is the latest progress view (or the lab we started from), null before the first one. */
  | { phase: 'starting'; lab: LabView | null }
  /** The lab exists; `error` is the last failed reset or stop (the lab is still there). */
  | { phase: 'ready'; lab: LabView; error?: string }
  | { phase: 'resetting'; lab: LabView }
  | { phase: 'stopping'; lab: LabView }
  /** The server runs without labs (e.g. no Docker): lessons still work, the error says why. */
  | { phase: 'unavailable'; error: string; lab: LabView | null };

export type LabPhase = LabStatus['phase'];

export interface LabSessionState {
  status: LabStatus;
  /** Bumped on reset so terminals remount with fresh shells. */
  generation: number;
  terminals: Record<string, StatusDetail>;
  activeTab: string | undefined;
}

/** A failed request, as the reducer needs it: the server has no labs at all, or one request went wrong. */
export interface Failure {
  unavailable: boolean;
  message: string;
}

export type LabSessionAction =
  /** The lookup answered: no lab, or the learner's lab (a pending one is joined by a start-requested next). */
  | { type: 'found'; lab: LabView | null }
  | { type: 'request-failed'; failure: Failure }
  | { type: 'start-requested' }
  | { type: 'start-progress'; lab: LabView }
  | { type: 'started'; lab: LabView }
  | { type: 'start-failed'; failure: Failure }
  | { type: 'reset-requested' }
  | { type: 'reset-done'; lab: LabView }
  | { type: 'reset-failed'; failure: Failure }
  /** Rebuild to before a task: the lab in front is replaced, or a lab that is gone comes back (starting from none). */
  | { type: 'rewind-requested' }
  | { type: 'rewind-done'; lab: LabView | null }
  | { type: 'rewind-failed'; failure: Failure }
  | { type: 'stop-requested' }
  | { type: 'stopped' }
  | { type: 'stop-failed'; failure: Failure }
  /** A later lookup (a terminal closed for good, a reset failed): the lab is still there, or gone. */
  | { type: 'refreshed'; lab: LabView | null }
  /** The learner switched between the default and the kind sandbox: everything is looked up again. */
  | { type: 'switched' }
  | { type: 'terminal-status'; target: string; detail: StatusDetail }
  | { type: 'tab-selected'; tab: string };

export const initialLabSessionState: LabSessionState = { status: { phase: 'checking' }, generation: 0, terminals: {}, activeTab: undefined };

/** The lab the session holds, whatever the phase. */
export function labOf(status: LabStatus): LabView | null {
  switch (status.phase) {
    case 'checking':
    case 'idle':
      return null;
    case 'starting':
    case 'ready':
    case 'resetting':
    case 'stopping':
    case 'unavailable':
      return status.lab;
  }
}

export function errorOf(status: LabStatus): string | undefined {
  return status.phase === 'idle' || status.phase === 'ready' || status.phase === 'unavailable' ? status.error : undefined;
}

/** A failed request leaves the lab it had (if any) in front, with the error beside it. */
function failed(status: LabStatus, failure: Failure, lab: LabView | null = labOf(status)): LabStatus {
  if (failure.unavailable) return { phase: 'unavailable', error: failure.message, lab };
  return lab ? { phase: 'ready', lab, error: failure.message } : { phase: 'idle', error: failure.message };
}

function withStatus(state: LabSessionState, status: LabStatus): LabSessionState {
  return { ...state, status };
}

export function labSessionReducer(state: LabSessionState, action: LabSessionAction): LabSessionState {
  const { status } = state;
  switch (action.type) {
    case 'found':
      return withStatus(
        state,
        action.lab ? (action.lab.state === 'pending' ? { phase: 'starting', lab: action.lab } : { phase: 'ready', lab: action.lab }) : { phase: 'idle' },
      );
    case 'request-failed':
      // A lookup failed: say why beside what is in front (the start card before any lab was known).
      if (action.failure.unavailable) return withStatus(state, { phase: 'unavailable', error: action.failure.message, lab: labOf(status) });
      if (status.phase === 'checking' || status.phase === 'idle') return withStatus(state, { phase: 'idle', error: action.failure.message });
      if (status.phase === 'ready' || status.phase === 'unavailable') return withStatus(state, { ...status, error: action.failure.message });
      return state;
    case 'start-requested':
      // Keeps the lab it had (a pending one shows its progress at once).
      return withStatus(state, { phase: 'starting', lab: labOf(status) });
    case 'start-progress':
      return status.phase === 'starting' ? withStatus(state, { phase: 'starting', lab: action.lab }) : state;
    case 'started':
      return withStatus(state, { phase: 'ready', lab: action.lab });
    case 'start-failed':
      // The failed start leaves no lab to control: drop its last progress view so only the start card and its error remain.
      return withStatus(state, failed(status, action.failure, null));
    case 'reset-requested': {
      const lab = labOf(status);
      return lab ? withStatus(state, { phase: 'resetting', lab }) : state;
    }
    case 'reset-done':
      return { ...state, status: { phase: 'ready', lab: action.lab }, terminals: {}, generation: state.generation + 1 };
    case 'reset-failed':
    case 'rewind-failed':
      return withStatus(state, failed(status, action.failure));
    case 'rewind-requested': {
      const lab = labOf(status);
      return withStatus(state, lab ? { phase: 'resetting', lab } : { phase: 'starting', lab: null });
    }
    case 'rewind-done':
      return { ...state, status: action.lab ? { phase: 'ready', lab: action.lab } : { phase: 'idle' }, terminals: {}, generation: state.generation + 1 };
    case 'stop-requested': {
      const lab = labOf(status);
      return lab ? withStatus(state, { phase: 'stopping', lab }) : state;
    }
    case 'stopped':
      return { ...state, status: { phase: 'idle' }, terminals: {} };
    case 'stop-failed': {
      // The lab is still there: back to its controls, with the error.
      const lab = labOf(status);
      return withStatus(state, lab ? { phase: 'ready', lab, error: action.failure.message } : failed(status, action.failure));
    }
    case 'refreshed': {
      if (!action.lab) return { ...state, status: { phase: 'idle', error: errorOf(status) }, terminals: {} };
      const lab = action.lab;
      switch (status.phase) {
        case 'checking':
        case 'idle':
          return state; // a late answer about a lab the learner no longer has in front
        case 'resetting':
          return withStatus(state, { phase: 'ready', lab });
        case 'starting':
        case 'ready':
        case 'stopping':
        case 'unavailable':
          return withStatus(state, { ...status, lab });
      }
      return state;
    }
    case 'switched':
      return { ...state, status: { phase: 'checking' }, terminals: {}, activeTab: undefined };
    case 'terminal-status':
      return { ...state, terminals: { ...state.terminals, [action.target]: action.detail } };
    case 'tab-selected':
      return state.activeTab === action.tab ? state : { ...state, activeTab: action.tab };
  }
}

// ---- selectors: what the pane, the prose and the tabs read ---------------------------------------------------

/** The lab the terminals, the editor and the challenge may use now: ready or paused, and not being replaced. */
export function usableLab(status: LabStatus): LabView | undefined {
  const lab = labOf(status);
  return lab && (lab.state === 'ready' || lab.state === 'paused') && (status.phase === 'ready' || status.phase === 'stopping') ? lab : undefined;
}

/** <Run> may target this lab target now (commands wait for a lab that is starting; not during reset or stop). */
export function canRunOn(status: LabStatus, target: string, sandboxTargets: readonly string[]): boolean {
  const lab = labOf(status);
  const known = lab && lab.state !== 'pending' ? lab.targets.map((t) => t.name) : sandboxTargets;
  return known.includes(target) && status.phase !== 'stopping' && status.phase !== 'resetting';
}

/** A command for a target with no terminal yet starts the lab when there is none (or it is still pending). */
export function needsStart(status: LabStatus): boolean {
  const lab = labOf(status);
  return !lab || lab.state === 'pending';
}
