// Rewind on a real lab: rewinding to task 3 rebuilds the state after task 2's solution (task 2's check passes, task
// 3's fails), with the same random draw in setup (seeded $RANDOM and shuf), and recorded completions kept.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import { RewindService } from '../../../lab-runner/practice/rewind.ts';
import { startPracticeLab, type PracticeLab } from './practice-lab.ts';

let p: PracticeLab;
beforeAll(async () => {
  p = await startPracticeLab({ intervalMs: 60_000 });
});
afterAll(async () => {
  await p?.close();
});

const task = (id: string, needs = '') => `
  - id: ${id}
    title: ${id}
    description: d
    target: node1
    ${needs}
    check: '[ "$(cat /root/${id} 2>/dev/null)" = "$(cat /etc/drawn)" ] || fail "/root/${id} does not hold the drawn number"'
    solution: {text: t, script: 'cp /etc/drawn /root/${id}'}`;

it('rewind to task 3 reproduces the state after task 2: same draw, tasks 1 and 2 pass, 3 fails, history kept', async () => {
  const parsed = parseChallenge(
    `setup:
  - target: node1
    script: |
      shuf -i 1-1000000000 -n 1 > /etc/drawn
      echo "$RANDOM $(printf 'a\\nb\\nc\\nd\\n' | shuf | tr -d '\\n')" > /etc/drawn-more
tasks:${task('one')}${task('two')}${task('three')}${task('four')}`,
    'rewind.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  p.addLesson('practice/rewind', parsed.challenge);
  const key = { labId: p.lab.labId, lesson: 'practice/rewind', learnerId: p.lab.learnerId };
  expect((await p.grader.prepareLab(key.labId, key.lesson)).status).toBe('done');
  const drawn = (await p.lab.sh('node1', 'cat /etc/drawn /etc/drawn-more')).stdout;
  // The learner solves tasks 1, 2 and 3 (4 stays open); the grader records the passes.
  await p.lab.sh('node1', 'cp /etc/drawn /root/one; cp /etc/drawn /root/two; cp /etc/drawn /root/three');
  const before = await p.grader.checkNow(key);
  expect(before.tasks.map((t) => t.status)).toEqual(['passed', 'passed', 'passed', 'failed']);

  const service = new RewindService({ labs: p.lab.labs, grader: p.grader, progress: p.progress, seeds: p.seeds, lessons: p.lessons });
  const { plan } = await service.plan({ ...key, taskId: 'three' });
  expect(plan.replay.map((s) => s.taskId)).toEqual(['one', 'two']);
  const rewound = await service.rewind({ ...key, taskId: 'three' });
  expect(rewound).toMatchObject({ labId: key.labId, taskId: 'three', replayed: ['one', 'two'] });

  // Fresh containers (the learner's /root/three is gone), the same draw, tasks 1-2 replayed.
  expect((await p.lab.sh('node1', 'cat /etc/drawn /etc/drawn-more')).stdout).toBe(drawn);
  expect((await p.lab.sh('node1', 'ls /root | grep -vx answers')).stdout.split(/\s+/).filter(Boolean).sort()).toEqual(['one', 'two']);
  const after = await p.grader.checkNow(key);
  expect(after.tasks.map((t) => t.status)).toEqual(['passed', 'passed', 'failed', 'failed']);
  // Recorded completions stay: task 3's pass is in the learner's history.
  const history = await p.progress.lessonProgress(key.learnerId, key.lesson);
  expect(history.tasks.find((t) => t.taskId === 'three')?.passedAt).toBeDefined();

  // A plain reset draws anew (the seed is forgotten), so rewinding is what keeps the draw.
  await p.grader.labReset(key.labId);
  await p.lab.labs.reset(key.labId);
  await p.grader.prepareLab(key.labId, key.lesson);
  expect((await p.lab.sh('node1', 'cat /etc/drawn')).stdout).not.toBe(drawn.split('\n')[0] + '\n');
});
