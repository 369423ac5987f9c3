// The lab session reducer: each request's outcome moves the session to the phase the pane shows, and a lab is
// held exactly where one exists.
import { describe, expect, it } from 'vitest';
import type { LabView } from '../../../../app/_components/lab/lab-client.ts';
import {
  canRunOn,
  errorOf,
  initialLabSessionState,
  labOf,
  labSessionReducer,
  needsStart,
  usableLab,
  type LabSessionAction,
  type LabSessionState,
} from '../../../../app/_components/lab/lab-session-state.ts';

function view(state: LabView['state'], id = 'lab-a'): LabView {
  return { id, state, targets: [{ name: 'node1', title: 'node1' }], sandbox: 'two-nodes' } as unknown as LabView;
}

const run = (...actions: LabSessionAction[]): LabSessionState => actions.reduce(labSessionReducer, initialLabSessionState);
const oops = { unavailable: false, message: 'oops' };

describe('lab session reducer', () => {
  it('starts by looking for the lab, then shows the start card or the lab it found', () => {
    expect(initialLabSessionState.status).toEqual({ phase: 'checking' });
    expect(run({ type: 'found', lab: null }).status).toEqual({ phase: 'idle' });
    expect(run({ type: 'found', lab: view('ready') }).status).toEqual({ phase: 'ready', lab: view('ready') });
    // A lab still provisioning is joined: its progress shows at once.
    expect(run({ type: 'found', lab: view('pending') }).status).toEqual({ phase: 'starting', lab: view('pending') });
  });

  it('a start shows progress, then the ready lab; a failed start leaves only the start card and the error', () => {
    const progress = { ...view('pending'), progress: { step: 1, totalSteps: 3, label: 'nodes' } } as LabView;
    const s = run({ type: 'found', lab: null }, { type: 'start-requested' }, { type: 'start-progress', lab: progress });
    expect(s.status).toEqual({ phase: 'starting', lab: progress });
    expect(labSessionReducer(s, { type: 'started', lab: view('ready') }).status).toEqual({ phase: 'ready', lab: view('ready') });
    const failed = labSessionReducer(s, { type: 'start-failed', failure: oops });
    expect(failed.status).toEqual({ phase: 'idle', error: 'oops' });
    expect(labOf(failed.status)).toBeNull();
  });

  it('progress that arrives after the start ended is ignored', () => {
    const s = run({ type: 'found', lab: view('ready') }, { type: 'start-progress', lab: view('pending') });
    expect(s.status).toEqual({ phase: 'ready', lab: view('ready') });
  });

  it('a server without labs is unavailable, with its reason', () => {
    const s = run({ type: 'request-failed', failure: { unavailable: true, message: 'no Docker' } });
    expect(s.status).toEqual({ phase: 'unavailable', error: 'no Docker', lab: null });
    expect(errorOf(s.status)).toBe('no Docker');
  });

  it('a reset remounts the terminals (new generation, statuses dropped); a failed one keeps the lab and says why', () => {
    const ready = run({ type: 'found', lab: view('ready') }, { type: 'terminal-status', target: 'node1', detail: { status: 'open' } as never });
    expect(Object.keys(ready.terminals)).toEqual(['node1']);
    const resetting = labSessionReducer(ready, { type: 'reset-requested' });
    expect(resetting.status.phase).toBe('resetting');
    expect(canRunOn(resetting.status, 'node1', [])).toBe(false);
    const done = labSessionReducer(resetting, { type: 'reset-done', lab: view('ready', 'lab-b') });
    expect(done).toMatchObject({ status: { phase: 'ready', lab: { id: 'lab-b' } }, generation: 1, terminals: {} });
    const failed = labSessionReducer(resetting, { type: 'reset-failed', failure: oops });
    expect(failed.status).toEqual({ phase: 'ready', lab: view('ready'), error: 'oops' });
    expect(failed.generation).toBe(0);
    // The lookup after the failure finds the lab gone: back to the start card, the error still shown.
    expect(labSessionReducer(failed, { type: 'refreshed', lab: null }).status).toEqual({ phase: 'idle', error: 'oops' });
  });

  it('reset and stop need a lab', () => {
    const idle = run({ type: 'found', lab: null });
    expect(labSessionReducer(idle, { type: 'reset-requested' })).toBe(idle);
    expect(labSessionReducer(idle, { type: 'stop-requested' })).toBe(idle);
  });

  it('stop: the lab goes and so do its terminals; a failed stop returns to the lab with the error', () => {
    const stopping = run(
      { type: 'found', lab: view('ready') },
      { type: 'terminal-status', target: 'node1', detail: { status: 'open' } as never },
      { type: 'stop-requested' },
    );
    expect(stopping.status.phase).toBe('stopping');
    expect(usableLab(stopping.status)?.id).toBe('lab-a'); // terminals stay up until the lab is gone
    expect(labSessionReducer(stopping, { type: 'stopped' })).toMatchObject({ status: { phase: 'idle' }, terminals: {} });
    expect(labSessionReducer(stopping, { type: 'stop-failed', failure: oops }).status).toEqual({ phase: 'ready', lab: view('ready'), error: 'oops' });
  });

  it('switching sandbox forgets the lab, its terminals and the tab in front, and looks again', () => {
    const s = run(
      { type: 'found', lab: view('ready') },
      { type: 'tab-selected', tab: 'node1' },
      { type: 'terminal-status', target: 'node1', detail: { status: 'open' } as never },
      { type: 'switched' },
    );
    expect(s).toEqual({ ...initialLabSessionState, generation: 0 });
  });

  it('a lookup that fails while a lab is in front keeps it, with the error', () => {
    const s = run({ type: 'found', lab: view('ready') }, { type: 'request-failed', failure: oops });
    expect(s.status).toEqual({ phase: 'ready', lab: view('ready'), error: 'oops' });
  });

  it('<Run> targets: the sandbox targets before a lab exists, the lab targets after; a start is needed without a ready lab', () => {
    const idle = run({ type: 'found', lab: null });
    expect(canRunOn(idle.status, 'node2', ['node1', 'node2'])).toBe(true);
    expect(needsStart(idle.status)).toBe(true);
    const ready = run({ type: 'found', lab: view('ready') });
    expect(canRunOn(ready.status, 'node2', ['node1', 'node2'])).toBe(false);
    expect(canRunOn(ready.status, 'node1', [])).toBe(true);
    expect(needsStart(ready.status)).toBe(false);
    expect(needsStart(run({ type: 'found', lab: view('pending') }).status)).toBe(true);
  });

  it('only a ready or paused lab in the ready phase is usable by terminals and the editor', () => {
    expect(usableLab(run({ type: 'found', lab: view('paused') }).status)?.state).toBe('paused');
    expect(usableLab(run({ type: 'found', lab: view('pending') }).status)).toBeUndefined();
    expect(usableLab(run({ type: 'found', lab: view('ready') }, { type: 'reset-requested' }).status)).toBeUndefined();
  });
});
