import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getLearner, readLearnerId, withLearnerCookie, LEARNER_COOKIE } from '../../../lib/learner/index.ts';
import { getSessionSecret } from '../../../lib/learner/session-secret.ts';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pw-learner-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

describe('session secret', () => {
  it('is generated once into DATA_DIR/secret with mode 0600 and reused', () => {
    const dir = path.join(dataDir, 'fresh');
    const a = getSessionSecret({ DATA_DIR: dir, SESSION_SECRET: undefined });
    const file = path.join(dir, 'secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(a.toString('utf8'));
    expect(getSessionSecret({ DATA_DIR: dir, SESSION_SECRET: undefined }).equals(a)).toBe(true);
  });

  it('prefers SESSION_SECRET and rejects a short stored secret', () => {
    const s = 'x'.repeat(40);
    expect(getSessionSecret({ DATA_DIR: dataDir, SESSION_SECRET: s }).toString()).toBe(s);
    const dir = path.join(dataDir, 'short');
    // A truncated file is an operator mistake worth a clear message, not a silently weak key.
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'secret'), 'short\n');
    expect(() => getSessionSecret({ DATA_DIR: dir, SESSION_SECRET: undefined })).toThrow(/shorter than 32/);
  });
});

describe('getLearner', () => {
  const config = { DATA_DIR: '/nonexistent', SESSION_SECRET: 'a'.repeat(48) };

  it('creates a learner with an httpOnly SameSite=Lax cookie, then recognises it', async () => {
    const first = await getLearner(new Request('http://localhost/api/labs'), config);
    expect(first.isNew).toBe(true);
    expect(first.setCookie).toMatch(new RegExp(`^${LEARNER_COOKIE}=`));
    expect(first.setCookie).toContain('HttpOnly');
    expect(first.setCookie).toContain('SameSite=Lax');
    expect(first.setCookie).not.toContain('Secure');
    const again = await getLearner(new Request('http://localhost/x', { headers: { cookie: `other=1; ${cookieOf(first.setCookie!)}` } }), config);
    expect(again).toEqual({ id: first.id, isNew: false });
  });

  it('marks the cookie Secure behind https', async () => {
    const l = await getLearner(new Request('http://localhost/', { headers: { 'x-forwarded-proto': 'https' } }), config);
    expect(l.setCookie).toContain('Secure');
  });

  it('ignores a forged or differently signed cookie and issues a new learner', async () => {
    const real = await getLearner(new Request('http://localhost/'), config);
    const value = decodeURIComponent(cookieOf(real.setCookie!).split('=')[1]!);
    const [id] = value.split('.');
    const forged = `${LEARNER_COOKIE}=${id}.AAAA${value.slice(id!.length + 5)}`;
    expect(readLearnerId(forged, config)).toBeUndefined();
    expect(readLearnerId(`${LEARNER_COOKIE}=someoneelse1234567.${value.split('.')[1]}`, config)).toBeUndefined();
    expect(readLearnerId(cookieOf(real.setCookie!), { ...config, SESSION_SECRET: 'b'.repeat(48) })).toBeUndefined();
    const next = await getLearner(new Request('http://localhost/', { headers: { cookie: forged } }), config);
    expect(next.isNew).toBe(true);
    expect(next.id).not.toBe(id);
  });

  it('withLearnerCookie sets the cookie only for new learners', async () => {
    const fresh = await getLearner(new Request('http://localhost/'), config);
    expect(withLearnerCookie(Response.json({}), fresh).headers.get('set-cookie')).toBe(fresh.setCookie);
    const known = await getLearner(new Request('http://localhost/', { headers: { cookie: cookieOf(fresh.setCookie!) } }), config);
    expect(withLearnerCookie(Response.json({}), known).headers.get('set-cookie')).toBeNull();
  });
});
