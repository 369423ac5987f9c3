// "An expired lab offers rewind to where you were", on a real lab engine: the lab is destroyed (as the reaper does at
// expiry); rewinding it starts a new lab, replays the setup with the same seed and the solutions of the tasks passed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { RewindService } from '../../../lab-runner/practice/rewind.ts';
import { SetupSeeds } from '../../../lab-runner/practice/setup-seed.ts';
import { openDatabase } from '../../../lab-runner/store/database.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

let t: TestEngine;
let grader: Grader | undefined;
beforeAll(() => {
  t = makeTestEngine({}, {}, fs.mkdtempSync(path.join(os.tmpdir(), 'pw-rewind-gone-')));
});
afterAll(async () => {
  await grader?.close();
  await t?.cleanup();
});

it('rewinding a destroyed lab starts a new one in the state the learner had reached', async () => {
  const parsed = parseChallenge(
    `setup:
  - target: node1
    script: |
      shuf -i 1-1000000000 -n 1 > /etc/drawn
tasks:
  - {id: one, title: one, description: d, target: node1, check: '[ "$(cat /root/one 2>/dev/null)" = "$(cat /etc/drawn)" ] || fail no', solution: {text: t, script: 'cp /etc/drawn /root/one'}}
  - {id: two, title: two, description: d, target: node1, check: '[ -e /root/two ] || fail no', solution: {text: t, script: 'touch /root/two'}}`,
    'gone.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const lesson: LessonChallenge = {
    lesson: 'practice/gone',
    title: 'Gone',
    href: '/learn/practice/gone',
    sandbox: 'nodes-1',
    challengeFile: 'gone.yaml',
    challenge: parsed.challenge,
  };
  const lessons = { get: async (id: string) => (id === lesson.lesson ? lesson : undefined), list: async () => [lesson] };
  const db = openDatabase(t.dataDir);
  const progress = new SqliteProgressStore(db);
  const seeds = new SetupSeeds(db);
  const labs = t.engine.labs;
  grader = new Grader({ labs, progress, lessons, intervalMs: 60_000, seeds });
  const learnerId = 'learner-gone-00000001';
  const lab = await labs.create({ template: 'nodes-1', learnerId });
  expect((await grader.prepareLab(lab.id, lesson.lesson)).status).toBe('done');
  const drawn = (await labs.exec(lab.id, 'node1', { cmd: ['cat', '/etc/drawn'] })).stdout;
  await labs.exec(lab.id, 'node1', { cmd: ['sh', '-c', 'cp /etc/drawn /root/one'] });
  expect((await grader.checkNow({ labId: lab.id, lesson: lesson.lesson, learnerId })).tasks.map((x) => x.status)).toEqual(['passed', 'failed']);
  await grader.forgetLab(lab.id);
  await labs.destroy(lab.id, 'expired');

  const service = new RewindService({ labs, grader, progress, seeds, lessons });
  const r = await service.rewind({ learnerId, lesson: lesson.lesson, labId: lab.id });
  expect(r.labId).not.toBe(lab.id);
  expect(r).toMatchObject({ taskId: 'two', replayed: ['one'] });
  expect((await labs.get(r.labId))?.state).toBe('ready');
  expect((await labs.exec(r.labId, 'node1', { cmd: ['cat', '/etc/drawn'] })).stdout).toBe(drawn);
  expect((await grader.checkNow({ labId: r.labId, lesson: lesson.lesson, learnerId })).tasks.map((x) => x.status)).toEqual(['passed', 'failed']);
  // Someone else cannot rewind (or probe) the lab.
  await expect(service.rewind({ learnerId: 'learner-other-0000001', lesson: lesson.lesson, labId: r.labId })).rejects.toThrow(/No lab/);
});
