// LabTarget.user: terminals and checks on a target run as that user (a kind jumpbox: learner, whose ~/.kube is
// 0700) unless the caller names one. Real engine, real SQLite store, a real nodes-1 lab whose stored target is
// given a user — so the field also survives the store's JSON round trip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

describe('exec user per lab target', () => {
  let t: TestEngine;
  let lab: ReadyLab;

  beforeAll(async () => {
    t = makeTestEngine();
    lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'target-user' });
    const node1 = lab.targets.find((x) => x.name === 'node1')!;
    await t.engine.store.setTargets(lab.id, [
      { ...node1, user: 'nobody' },
      { ...node1, name: 'asroot' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("a non-TTY exec (grader, kill-shell) runs as the target's user", async () => {
    const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['id', '-un'] });
    expect(r.stdout.trim()).toBe('nobody');
  });

  it("the caller's user wins, and a target without one keeps the image's user", async () => {
    expect((await t.engine.labs.exec(lab.id, 'node1', { cmd: ['id', '-un'], user: 'root' })).stdout.trim()).toBe('root');
    expect((await t.engine.labs.exec(lab.id, 'asroot', { cmd: ['id', '-un'] })).stdout.trim()).toBe('root');
  });

  it("a terminal (TTY exec) runs as the target's user", async () => {
    const tty = await t.engine.labs.execTty(lab.id, 'node1', { cmd: ['id', '-un'], cols: 80, rows: 24 });
    let seen = '';
    tty.stream.on('data', (b: Buffer) => (seen += b.toString('utf8')));
    expect(await tty.exited).toBe(0);
    for (let i = 0; i < 40 && !seen.includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(seen.trim()).toBe('nobody');
  });
});
