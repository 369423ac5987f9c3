// The one route wrapper: whatever a handler throws comes back as the one error body ({ error, code, … }) with the
// status of the code's row in the table; nothing unexpected leaks its message; the learner cookie rides along.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { setPlatform, setPlatformUnavailable } from '../../../app/_server/platform-handle.ts';
import type { Platform } from '../../../lab-runner/index.ts';
import { CapacityError } from '../../../lab-runner/errors.ts';
import { FileConflictError } from '../../../lab-runner/files/file-errors.ts';
import { errorBodySchema } from '../../../lab-runner/wire/error-body.ts';
import { apiRoute, json } from '../../../app/api/_lib/api-route.ts';
import { INTERNAL_MESSAGE } from '../../../app/api/_lib/error-response.ts';
import { labIdField } from '../../../app/api/_lib/id-fields.ts';
import { readBody, readQuery } from '../../../app/api/_lib/read-request.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-api-route-'));
  setPlatform({ config: { DATA_DIR: dataDir, SESSION_SECRET: 's'.repeat(48) } } as unknown as Platform);
});
afterEach(() => {
  setPlatform(undefined);
  setPlatformUnavailable(undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const post = (body: string, headers: Record<string, string> = {}) => new Request('http://x/api/things', { method: 'POST', body, headers });

async function answer(res: Response) {
  const body = errorBodySchema.parse(await res.json());
  return { status: res.status, body };
}

describe('apiRoute', () => {
  it('answers an engine error with its table status, its message and its details', async () => {
    const err = new FileConflictError('node1', '/root/a.txt', 'absent', { sha256: 'f'.repeat(64), size: 3, mtimeMs: 1 } as never);
    const { status, body } = await answer(await apiRoute(post('{}'), async () => Promise.reject(err)));
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'file-conflict', error: err.message, expected: 'absent', current: { size: 3 } });
  });

  it('sends Retry-After with a full server’s capacity error', async () => {
    const res = await apiRoute(post('{}'), async () => Promise.reject(new CapacityError('All 3 lab slots are in use.', 'server', 60)));
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await answer(res)).toMatchObject({ status: 503, body: { code: 'capacity', retryAfter: 60 } });
  });

  it('answers a body that does not fit its schema with 422 invalid-request, one message per field', async () => {
    const schema = z.strictObject({ labId: labIdField() });
    const res = await apiRoute(post('{"labId":"../../etc","extra":1}'), async ({ request }) => json(await readBody(request, schema)));
    const { status, body } = await answer(res);
    expect(status).toBe(422);
    expect(body.code).toBe('invalid-request');
    expect(body.fields?.labId).toMatch(/labId must be the id of your lab/);
    expect(body.fields?.body).toMatch(/extra/); // an unknown key has no path of its own: it is the body's
  });

  it('answers a bad query and a bare zod error in the same 422 shape', async () => {
    const query = await apiRoute(new Request('http://x/api/things?labId=nope'), async ({ request }) =>
      json(readQuery(request, z.object({ labId: labIdField() }))),
    );
    expect(await answer(query)).toMatchObject({ status: 422, body: { code: 'invalid-request', fields: { labId: expect.stringMatching(/id of your lab/) } } });
    const bare = await apiRoute(post('{}'), async () => json(z.object({ n: z.number({ message: 'n must be a number' }) }).parse({ n: 'x' })));
    expect(await answer(bare)).toMatchObject({
      status: 422,
      body: { code: 'invalid-request', error: 'Invalid request: n: n must be a number', fields: { n: 'n must be a number' } },
    });
  });

  it('answers a body that is not JSON with 422 naming the body', async () => {
    const res = await apiRoute(post('{'), async ({ request }) => json(await readBody(request, z.object({}))));
    expect(await answer(res)).toMatchObject({ status: 422, body: { code: 'invalid-request', fields: { body: 'not valid JSON' } } });
  });

  it('answers an oversized body with 413 before parsing it', async () => {
    const big = JSON.stringify({ labId: 'x'.repeat(100_000) });
    const res = await apiRoute(post(big), async ({ request }) => json(await readBody(request, z.object({ labId: z.string() }))));
    const { status, body } = await answer(res);
    expect(status).toBe(413);
    expect(body).toMatchObject({ code: 'body-too-large', error: expect.stringMatching(/64 KiB/) });
  });

  it('answers an unexpected error with 500 and a generic message, never the error’s own', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await apiRoute(post('{}'), async () => Promise.reject(new TypeError('Cannot read properties of undefined (reading secretToken)')));
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: INTERNAL_MESSAGE, code: 'internal' });
    expect(text).not.toMatch(/secretToken|undefined/);
    // A code the table gives 500 (an engine failure a learner cannot act on) is hidden the same way.
    const engine = await apiRoute(post('{}'), async () =>
      Promise.reject(Object.assign(new Error('runc hung at /var/lib/docker/x'), { code: 'docker-timeout' })),
    );
    expect(await engine.json()).toEqual({ error: INTERNAL_MESSAGE, code: 'internal' });
    // The server log keeps what the answer hides.
    expect(logged.mock.calls.map((c) => String(c[1]))).toEqual([expect.stringMatching(/secretToken/), expect.stringMatching(/runc hung/)]);
    logged.mockRestore();
  });

  it('refuses a change from another site, and answers 503 without a platform', async () => {
    const cross = await apiRoute(post('{}', { 'sec-fetch-site': 'cross-site' }), async () => json({ ok: true }));
    expect(await answer(cross)).toMatchObject({ status: 403, body: { code: 'cross-site' } });
    setPlatform(undefined);
    setPlatformUnavailable('Docker is not reachable.');
    const down = await apiRoute(new Request('http://x/api/things'), async () => json({ ok: true }));
    expect(await answer(down)).toMatchObject({ status: 503, body: { code: 'platform-unavailable', error: 'Docker is not reachable.' } });
  });

  it('sets the new learner’s cookie on answers and errors alike, unless the route opts out', async () => {
    const ok = await apiRoute(new Request('http://x/api/things'), async () => json({ ok: true }));
    expect(ok.headers.get('set-cookie')).toMatch(/^pw_learner=|learner/);
    const failed = await apiRoute(post('{'), async ({ request }) => json(await readBody(request, z.object({}))));
    expect(failed.headers.get('set-cookie')).toBeTruthy();
    const quiet = await apiRoute(new Request('http://x/api/things'), async () => json({ ok: true }), { cookieForNewLearner: false });
    expect(quiet.headers.get('set-cookie')).toBeNull();
  });
});
