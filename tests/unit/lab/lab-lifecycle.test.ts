// LabLifecycle's ordering, with fakes that record every call: terminals close before the lab is touched, the grader
// forgets the lab only once the fresh nodes exist, and the lesson's setup runs last, on the lab the learner gets.
import { describe, expect, it } from 'vitest';
import { LabLifecycle, LabResetRefusedError } from '../../../lab-runner/lab/lab-lifecycle.ts';
import type { LabLifecycleDeps } from '../../../lab-runner/lab/lab-lifecycle.ts';
import type { Lab, ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { LabRunnerError } from '../../../lab-runner/errors.ts';

const now = new Date(0);
const common = { learnerId: 'alice', template: 'nodes-2', createdAt: now, expiresAt: now, lastActiveAt: now };
const ready = (id: string): ReadyLab => ({ ...common, id, state: 'ready', networkId: 'net', targets: [], readyAt: now });

function recording(opts: { resetFails?: Error; setupFails?: boolean } = {}) {
  const calls: string[] = [];
  const deps: LabLifecycleDeps = {
    terminals: { endLab: (id) => void calls.push(`terminals.endLab ${id}`) },
    labs: {
      async reset(id) {
        calls.push(`labs.reset ${id}`);
        if (opts.resetFails) throw opts.resetFails;
        return ready(id);
      },
      async destroy(id, reason) {
        calls.push(`labs.destroy ${id} (${reason})`);
      },
      async create(req) {
        calls.push(`labs.create ${req.template} for ${req.learnerId}`);
        return ready('lab-new');
      },
    },
    grader: {
      async labReset(id) {
        calls.push(`grader.labReset ${id}`);
      },
      async prepareLab(id, lesson) {
        calls.push(`grader.prepareLab ${id} ${lesson}`);
        if (opts.setupFails) throw new Error('setup broke');
        return { status: 'done', lesson };
      },
    },
  };
  return { calls, lifecycle: new LabLifecycle(deps) };
}

describe('LabLifecycle.reset', () => {
  it('resets in place: terminals, lab, grader, then the lesson setup on the same lab', async () => {
    const { calls, lifecycle } = recording();
    const fresh = await lifecycle.reset(ready('lab-1'), { lesson: 'pods/pods' });
    expect(fresh.id).toBe('lab-1');
    expect(calls).toEqual(['terminals.endLab lab-1', 'labs.reset lab-1', 'grader.labReset lab-1', 'grader.prepareLab lab-1 pods/pods']);
  });

  it('without a lesson runs no setup', async () => {
    const { calls, lifecycle } = recording();
    await lifecycle.reset(ready('lab-1'));
    expect(calls).toEqual(['terminals.endLab lab-1', 'labs.reset lab-1', 'grader.labReset lab-1']);
  });

  it('a failed lab is destroyed and started anew; the setup runs on the new lab', async () => {
    const { calls, lifecycle } = recording();
    const failed: Lab = { ...common, id: 'lab-1', state: 'failed', error: 'boom' };
    const fresh = await lifecycle.reset(failed, { lesson: 'pods/pods' });
    expect(fresh.id).toBe('lab-new');
    expect(calls).toEqual([
      'terminals.endLab lab-1',
      'labs.destroy lab-1 (reset after failure)',
      'grader.labReset lab-1',
      'labs.create nodes-2 for alice',
      'grader.prepareLab lab-new pods/pods',
    ]);
  });

  it('a runtime that cannot reset in place: destroy and create, as for a failed lab', async () => {
    const { calls, lifecycle } = recording({ resetFails: new LabRunnerError('unsupported', 'no reset here') });
    const fresh = await lifecycle.reset(ready('lab-1'));
    expect(fresh.id).toBe('lab-new');
    expect(calls).toEqual([
      'terminals.endLab lab-1',
      'labs.reset lab-1',
      'labs.destroy lab-1 (reset by the learner)',
      'grader.labReset lab-1',
      'labs.create nodes-2 for alice',
    ]);
  });

  it('any other reset error propagates and the grader is left alone', async () => {
    const { calls, lifecycle } = recording({ resetFails: new LabRunnerError('docker-call-failed', 'engine said no') });
    await expect(lifecycle.reset(ready('lab-1'), { lesson: 'pods/pods' })).rejects.toMatchObject({ code: 'docker-call-failed' });
    expect(calls).toEqual(['terminals.endLab lab-1', 'labs.reset lab-1']);
  });

  it('a failing setup does not fail the reset (the Challenge panel reports it)', async () => {
    const { calls, lifecycle } = recording({ setupFails: true });
    await expect(lifecycle.reset(ready('lab-1'), { lesson: 'pods/pods' })).resolves.toMatchObject({ id: 'lab-1', state: 'ready' });
    expect(calls.at(-1)).toBe('grader.prepareLab lab-1 pods/pods');
  });

  it('a lab still starting is refused before anything is touched', async () => {
    const { calls, lifecycle } = recording();
    const pending: Lab = { ...common, id: 'lab-1', state: 'pending', progress: { step: 1, totalSteps: 2, label: 'x' } };
    const refused = lifecycle.reset(pending, { lesson: 'pods/pods' });
    await expect(refused).rejects.toBeInstanceOf(LabResetRefusedError);
    await expect(refused).rejects.toMatchObject({ code: 'lab-state', message: 'The lab is still starting; reset it once it is ready.' });
    expect(calls).toEqual([]);
  });
});

describe('LabLifecycle.stop', () => {
  it('ends the terminals, then destroys the lab', async () => {
    const { calls, lifecycle } = recording();
    await lifecycle.stop('lab-1');
    expect(calls).toEqual(['terminals.endLab lab-1', 'labs.destroy lab-1 (stopped by the learner)']);
  });
});
