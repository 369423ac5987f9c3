// The one table from error codes to HTTP statuses: every code has a status (the type system checks the table's keys;
// this checks the values and that the engine's list and the table agree at run time), and capacity's 429/503 split
// is decided by the code alone.
import { describe, expect, it } from 'vitest';
import { CapacityError, ENGINE_ERROR_CODES, LabRunnerError } from '../../../lab-runner/errors.ts';
import { HTTP_STATUS, SITE_ERROR_CODES, knownErrorCode } from '../../../app/api/_lib/error-status.ts';
import { describeError } from '../../../app/api/_lib/error-response.ts';

describe('HTTP_STATUS', () => {
  it('gives every engine and site code an error status, and names no other code', () => {
    const codes = [...ENGINE_ERROR_CODES, ...SITE_ERROR_CODES];
    for (const code of codes) {
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[code], code).toBeLessThan(600);
    }
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...new Set(codes)].sort());
  });

  it('knows only its own codes, not inherited keys or strangers', () => {
    expect(knownErrorCode('file-conflict')).toBe('file-conflict');
    expect(knownErrorCode('toString')).toBeUndefined();
    expect(knownErrorCode('EACCES')).toBeUndefined();
    expect(knownErrorCode(409)).toBeUndefined();
  });
});

describe('capacity: the asker’s own limit is 429, a full server 503, by code', () => {
  it.each([
    ['learner', 'learner-limit', 429],
    ['client', 'client-limit', 429],
    ['server', 'capacity', 503],
  ] as const)('scope %s → code %s → %i', (scope, code, status) => {
    const err = new CapacityError('Some limit was reached.', scope);
    expect(err.code).toBe(code);
    expect(describeError(err).status).toBe(status);
  });

  it('a capacity error without a scope is the server’s (subnets, memory)', () => {
    expect(new CapacityError('No free /24 subnet left in LAB_SUBNET_POOL.').code).toBe('capacity');
  });

  it('the message decides nothing: "You already have…" on a server-wide code is still 503', () => {
    const err = new LabRunnerError('capacity', 'You already have 2 running labs; the limit is 2.');
    expect(describeError(err).status).toBe(503);
    const own = Object.assign(new Error('All 40 lab slots on this server are in use.'), { code: 'learner-limit' });
    expect(describeError(own).status).toBe(429);
  });
});
