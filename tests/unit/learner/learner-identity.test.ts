import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getLearner, readLearnerId, withLearnerCookie, LEARNER_COOKIE } from '../../../lib/learner/index.ts';
import { getSessionSecret } from '../../../lib/learner/session-secret.ts';
import { firstPageLearner } from '../../../lib/learner/first-page-learner.ts';

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

describe('firstPageLearner: the learner cookie comes with the first page', () => {
  const config = { DATA_DIR: '/nonexistent', SESSION_SECRET: 'b'.repeat(48) };
  const page = (headers: Record<string, string> = {}, url = '/learn/pods/pods-and-network-namespaces') => ({
    method: 'GET',
    url,
    headers: { 'sec-fetch-dest': 'document', ...headers },
  });

  it('mints a learner for a page load without a cookie, and the request carries it on as the API would read it', () => {
    const minted = firstPageLearner(page(), config)!;
    expect(minted.setCookie).toMatch(/^pw_learner=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const id = readLearnerId(minted.cookieHeader, config);
    expect(id).toBeDefined();
    expect(readLearnerId(cookieOf(minted.setCookie), config)).toBe(id);
  });

  it('leaves a visitor with a valid cookie alone, and API calls, assets and non-GETs to the route handlers', () => {
    const first = firstPageLearner(page(), config)!;
    expect(firstPageLearner(page({ cookie: `theme=dark; ${cookieOf(first.setCookie)}` }), config)).toBeUndefined();
    expect(firstPageLearner({ method: 'GET', url: '/api/labs?sandbox=nodes-2', headers: { 'sec-fetch-dest': 'empty' } }, config)).toBeUndefined();
    expect(firstPageLearner(page({}, '/_next/static/chunks/main.js'), config)).toBeUndefined();
    expect(firstPageLearner({ ...page(), method: 'POST' }, config)).toBeUndefined();
    expect(firstPageLearner({ method: 'GET', url: '/', headers: { 'sec-fetch-dest': 'image' } }, config)).toBeUndefined();
    // Without Fetch Metadata (older clients, curl): an HTML GET counts as a page.
    expect(firstPageLearner({ method: 'GET', url: '/', headers: { accept: 'text/html,*/*' } }, config)).toBeDefined();
  });

  it('replaces a forged learner cookie and keeps the others; Secure behind an https proxy', () => {
    const minted = firstPageLearner(page({ cookie: 'theme=dark; pw_learner=forged.sig', 'x-forwarded-proto': 'https' }), config)!;
    expect(minted.cookieHeader).toMatch(/^theme=dark; pw_learner=[^;]+$/);
    expect(readLearnerId(minted.cookieHeader, config)).toBeDefined();
    expect(minted.setCookie).toMatch(/; Secure$/);
  });
});
