import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CapacityError, DockerUnavailableError, LabNotFoundError, LabStateError, ProvisionError, LabRunnerError } from '../../../lab-runner/errors.ts';
import { toLabView } from '../../../lab-runner/index.ts';
import { describeError } from '../../../app/api/_lib/error-response.ts';
import { HttpError } from '../../../app/api/_lib/http-error.ts';
import { readBody } from '../../../app/api/_lib/read-request.ts';

describe('describeError', () => {
  it.each([
    [new CapacityError('You already have 2 running labs (a, b); the limit is 2.', 'learner'), 429],
    [new CapacityError('All 40 lab slots on this server are in use.'), 503],
    [new DockerUnavailableError('unix:///var/run/docker.sock'), 503],
    [new LabNotFoundError('lab-x'), 404],
    [new LabStateError('lab-x', 'pending', 'ready'), 409],
    [new ProvisionError('start', 'container exited'), 502],
    [new LabRunnerError('sandbox-invalid', 'Unknown sandbox template "x".'), 422],
    [new LabRunnerError('unsupported', 'No provisioner for sandbox runtime "kind"'), 409],
    [new HttpError('forbidden', 'This lab belongs to another learner.'), 403],
  ])('%s → %i with the message for the learner', (err, status) => {
    const { status: mapped, body } = describeError(err);
    expect(mapped).toBe(status);
    expect(body.error).toBe(err.message);
    expect(body.code).toBe(err.code);
  });

  it('matches on the error code, not the class (route bundles have their own copies of the classes)', () => {
    const foreign = Object.assign(new Error('All 40 lab slots on this server are in use.'), { code: 'capacity' });
    expect(describeError(foreign).status).toBe(503);
  });

  it('hides unexpected errors behind a generic message', () => {
    const { status, body } = describeError(new TypeError('cannot read x of undefined'));
    expect(status).toBe(500);
    expect(body.code).toBe('internal');
    expect(body.error).not.toMatch(/undefined/);
  });
});

describe('readBody', () => {
  const schema = z.strictObject({ sandbox: z.string().regex(/^[a-z0-9-]+$/, { message: 'sandbox must look like nodes-2' }) });
  const req = (body: string) => new Request('http://x/api/labs', { method: 'POST', body });

  it('returns the parsed body', async () => {
    expect(await readBody(req('{"sandbox":"nodes-2"}'), schema)).toEqual({ sandbox: 'nodes-2' });
  });

  it('answers 422 with one message per field', async () => {
    const err = await readBody(req('{"sandbox":"No!","x":1}'), schema).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    const { status, body } = describeError(err);
    expect(status).toBe(422);
    expect(body.fields).toMatchObject({ sandbox: 'sandbox must look like nodes-2' });
    const notJson = await readBody(req('{'), schema).catch((e: unknown) => e);
    expect(describeError(notJson).status).toBe(422);
  });
});

describe('toLabView', () => {
  it('names targets without container ids', () => {
    const now = new Date();
    const view = toLabView({
      id: 'lab-1',
      learnerId: 'l',
      template: 'nodes-2',
      createdAt: now,
      expiresAt: now,
      lastActiveAt: now,
      state: 'ready',
      networkId: 'net',
      readyAt: now,
      targets: [{ name: 'node1', kind: 'node', title: 'node1', containerId: 'abc123', containerName: 'pw-lab-1-node1' }],
    });
    expect(view.targets).toEqual([{ name: 'node1', title: 'node1', kind: 'node' }]);
    expect(JSON.stringify(view)).not.toMatch(/abc123|pw-lab-1-node1|net/);
  });
});
