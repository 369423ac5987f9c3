// The one check routes make before they open something in a learner's lab (files, manifests, terminal tickets): a
// lab that is not running is 409 with why, a target it lacks 404 naming the ones it has, another learner's lab 403.
import { describe, expect, it } from 'vitest';
import { describeError } from '../../../app/api/_lib/error-response.ts';
import type { RouteContext } from '../../../app/api/_lib/api-route.ts';
import { liveLab, liveTarget } from '../../../app/api/labs/_lib/lab-http.ts';
import type { Lab } from '../../../lab-runner/index.ts';

const now = new Date(0);
const common = { learnerId: 'alice', template: 'nodes-2', createdAt: now, expiresAt: now, lastActiveAt: now };
const labs: Record<string, Lab> = {
  'lab-pending1': { ...common, id: 'lab-pending1', state: 'pending', progress: { step: 1, totalSteps: 3, label: 'Creating the network' } },
  'lab-failed01': { ...common, id: 'lab-failed01', state: 'failed', error: 'boom' },
  'lab-ready001': {
    ...common,
    id: 'lab-ready001',
    state: 'ready',
    networkId: 'net',
    readyAt: now,
    targets: ['node1', 'node2'].map((name) => ({ name, title: name, kind: 'node' as const, containerId: `c-${name}`, containerName: name })),
  },
};

function ctx(learnerId = 'alice'): RouteContext {
  const platform = { labs: { get: async (id: string) => labs[id] } } as unknown as RouteContext['platform'];
  return { request: new Request('http://localhost/'), learner: { id: learnerId } as RouteContext['learner'], client: 'test', platform };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => describeError(err),
  );

describe('liveLab and liveTarget', () => {
  it('a lab that is still starting or has failed is 409, worded for what the route opens', async () => {
    expect(await failure(liveTarget(ctx(), 'lab-pending1', 'node1', 'terminals'))).toMatchObject({
      status: 409,
      body: { code: 'conflict', error: 'The lab is still starting; terminals open once it is ready.' },
    });
    expect(await failure(liveLab(ctx(), 'lab-failed01'))).toMatchObject({ status: 409, body: { error: 'The lab is failed; start it again to open files.' } });
  });

  it('a target the lab lacks is 404 naming the ones it has; another learner gets 403', async () => {
    expect(await failure(liveTarget(ctx(), 'lab-ready001', 'node7', 'terminals'))).toMatchObject({
      status: 404,
      body: { error: 'This lab has no target "node7"; its targets are node1, node2.' },
    });
    expect(await failure(liveTarget(ctx('bob'), 'lab-ready001', 'node1', 'terminals'))).toMatchObject({ status: 403 });
    const { target } = await liveTarget(ctx(), 'lab-ready001', 'node2', 'terminals');
    expect(target.name).toBe('node2');
  });
});
