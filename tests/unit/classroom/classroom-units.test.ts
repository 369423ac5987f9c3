// Classroom pieces without Docker: configuration rules for AUTH, the task activity on a real SQLite file (attempts,
// failing since, passes), grid cells (stuck after N minutes), the CSV export (quoting, formula injection), and the
// anonymous learner lookup staying exactly as before when no account resolver is registered.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../lib/config.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { TaskActivityStore } from '../../../lab-runner/classroom/task-activity.ts';
import { cellOf } from '../../../lab-runner/classroom/class-grid.ts';
import { toCsv, type ExportRow } from '../../../lab-runner/classroom/class-export.ts';
import { ClassStore } from '../../../lab-runner/classroom/class-store.ts';
import { AccountStore } from '../../../lab-runner/classroom/account-store.ts';
import { getLearner } from '../../../lib/learner/index.ts';
import { getAccountResolver } from '../../../lib/auth/account-handle.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pw-classroom-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('AUTH configuration', () => {
  it('defaults to anonymous and validates the OIDC settings together', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).AUTH).toBe('anonymous');
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH: 'sso' })).toThrow(/AUTH must be one of anonymous, accounts, oidc/);
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH: 'oidc' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH: 'oidc', OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC_CLIENT_ID is required when AUTH=oidc/);
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH: 'oidc', OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' })).toThrow(
      /OIDC_ISSUER must be/,
    );
    const sso = { NODE_ENV: 'test' as const, OIDC_ISSUER: 'https://id.example', OIDC_CLIENT_ID: 'a', OIDC_CLIENT_SECRET: 'b' };
    expect(loadConfig({ ...sso, AUTH: 'oidc', PUBLIC_URL: 'https://labs.example' }).AUTH).toBe('oidc');
    // The callback URL registered at the provider is PUBLIC_URL's: single sign-on needs it.
    expect(() => loadConfig({ ...sso, AUTH: 'oidc' })).toThrow(/PUBLIC_URL is required with single sign-on/);
    expect(() => loadConfig({ ...sso, AUTH: 'accounts' })).toThrow(/PUBLIC_URL is required with single sign-on/);
    expect(() => loadConfig({ NODE_ENV: 'test', AUTH: 'accounts', OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC_CLIENT_ID is required with OIDC_ISSUER/);
    expect(() => loadConfig({ NODE_ENV: 'test', OIDC_ISSUER: 'https://id.example' })).toThrow(/no effect with AUTH=anonymous/);
    expect(loadConfig({ NODE_ENV: 'test', CLASS_STUCK_AFTER: '5m' }).CLASS_STUCK_AFTER).toBe(300_000);
  });
});

describe('anonymous mode', () => {
  it('looks learners up by their cookie alone when no account resolver is registered', async () => {
    expect(getAccountResolver()).toBeUndefined();
    const config = { DATA_DIR: dir, SESSION_SECRET: 'x'.repeat(32) };
    const first = await getLearner(new Request('http://localhost/api/labs'), config);
    expect(first.isNew).toBe(true);
    expect(first.account).toBeUndefined();
    const again = await getLearner(
      new Request('http://localhost/api/labs', { headers: { cookie: first.setCookie!.split(';')[0]! + '; pw.session_token=' + 'A'.repeat(43) } }),
      config,
    );
    expect(again).toEqual({ id: first.id, isNew: false });
  });
});

describe('task activity (SQLite on disk)', () => {
  const db = openDatabase(path.join(dir, 'activity'));
  const store = new TaskActivityStore(db);
  it('counts distinct wrong answers as attempts, keeps failing-since for the same failure, and ends at the pass', () => {
    const t0 = 1_000_000;
    expect(store.observe('l1', 'm/l', [{ id: 't', status: 'failed', summary: 'no netns' }], t0)).toHaveLength(1);
    expect(store.observe('l1', 'm/l', [{ id: 't', status: 'failed', summary: 'no netns' }], t0 + 60_000)).toHaveLength(0);
    const [changed] = store.observe('l1', 'm/l', [{ id: 't', status: 'failed', summary: 'no eth0' }], t0 + 120_000);
    expect(changed).toMatchObject({ attempts: 1, failingSince: t0 + 120_000, firstSeenAt: t0 });
    store.observe(
      'l1',
      'm/l',
      [
        { id: 't', status: 'checking' },
        { id: 'u', status: 'blocked' },
      ],
      t0 + 130_000,
    );
    const [passed] = store.observe('l1', 'm/l', [{ id: 't', status: 'passed', passedAt: t0 + 180_000 }], t0 + 181_000);
    expect(passed).toMatchObject({ attempts: 2, passedAt: t0 + 180_000 });
    expect(passed!.failingSince).toBeUndefined();
    expect(store.forLearners(['l1'], ['m/l']).map((a) => a.taskId)).toEqual(['t']);
  });

  it('makes a cell stuck once the same check has failed for CLASS_STUCK_AFTER', () => {
    const activity = { learnerId: 'l', lesson: 'm/l', taskId: 't', firstSeenAt: 0, attempts: 1, failingSince: 1_000 };
    const base = { userId: 'u', lesson: 'm/l', taskId: 't', progress: undefined, activity, stuckAfterMs: 600_000 };
    expect(cellOf({ ...base, now: 600_999 }).state).toBe('working');
    expect(cellOf({ ...base, now: 601_000 }).state).toBe('stuck');
    expect(cellOf({ ...base, activity: undefined, now: 601_000 }).state).toBe('not-started');
    const passed = cellOf({
      ...base,
      progress: { lesson: 'm/l', bestPassed: 1, tasks: [{ taskId: 't', passedAt: 90_000, hintsRevealed: 2, solutionRevealedAt: 80_000 }] },
      now: 999_999,
    });
    expect(passed).toMatchObject({ state: 'passed', timeOnTaskMs: 90_000, hintsRevealed: 2, solutionRevealed: true });
  });
});

describe('classes and enrollment (SQLite on disk)', () => {
  it("enforces capacity in one transaction and the link's expiry", () => {
    const db = openDatabase(path.join(dir, 'classes'));
    const accounts = new AccountStore(db);
    const classes = new ClassStore(db);
    const trainer = accounts.create({ email: 't@x.test', name: 'T', role: 'trainer' });
    const [a, b] = ['a', 'b'].map((n) => accounts.create({ email: `${n}@x.test`, name: n, role: 'learner' }));
    const now = Date.now();
    const c = classes.create({
      trainerId: trainer.id,
      name: 'c',
      lessons: ['m/l'],
      startsAt: now,
      endsAt: now + 3_600_000,
      capacity: 1,
      enrollExpiresAt: now + 60_000,
      prewarm: false,
    });
    classes.enroll(c.id, a!.id, now);
    expect(() => classes.enroll(c.id, b!.id, now)).toThrow(expect.objectContaining({ code: 'class-full' }));
    expect(() => classes.enroll(c.id, b!.id, now + 61_000)).toThrow(expect.objectContaining({ code: 'enroll-closed' }));
    expect(classes.byShortCode(c.shortCode.toLowerCase())?.id).toBe(c.id);
    expect(c.enrollToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('CSV export', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    const row: ExportRow = {
      class: 'A, "quoted"',
      learner: '=HYPERLINK("x")',
      email: 'e@x',
      lesson: 'm/l',
      task: 't',
      state: 'passed',
      passedAt: '',
      attempts: 1,
      hintsUsed: 0,
      solutionRevealed: false,
      timeOnTaskSeconds: 3,
    };
    const [header, line] = toCsv([row]).split('\r\n');
    expect(header).toBe('class,learner,email,lesson,task,state,passedAt,attempts,hintsUsed,solutionRevealed,timeOnTaskSeconds');
    expect(line).toBe('"A, ""quoted""","\'=HYPERLINK(""x"")",e@x,m/l,t,passed,,1,0,false,3');
  });
});
