// Instant feedback on a real lab: a task fixed by a command typed in the terminal turns green within 1 s, without
// Check, although the periodic round is a minute away. Fails without the command trigger (the next round would come
// only after GRADER_INTERVAL).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { ChallengeView } from '../../../lab-runner/wire/challenge.ts';
import { startPracticeLab, type PracticeLab } from './practice-lab.ts';

let p: PracticeLab;
beforeAll(async () => {
  p = await startPracticeLab({ intervalMs: 60_000 });
});
afterAll(async () => {
  await p?.close();
});

it('a task fixed by a command typed in the terminal turns green within 1 s without Check', async () => {
  const parsed = parseChallenge(
    `tasks:
  - id: bridge
    title: Make a bridge
    description: d
    target: node1
    check: 'ip link show br-fix >/dev/null 2>&1 || fail "no bridge br-fix"'
    solution: {text: t, script: 'ip link add br-fix type bridge'}
  - id: other
    title: Something else
    description: d
    target: node1
    check: 'fail "never"'
    solution: {text: t, script: 'true'}`,
    'instant.yaml',
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  p.addLesson('practice/instant', parsed.challenge);
  const key = { labId: p.lab.labId, lesson: 'practice/instant', learnerId: p.lab.learnerId };
  await p.grader.prepareLab(key.labId, key.lesson);
  const views: { at: number; view: ChallengeView }[] = [];
  const stop = await p.grader.watch(key, (view) => views.push({ at: performance.now(), view }));
  // The first round (on watch) has run: the task is failing.
  await expect.poll(() => views.at(-1)?.view.tasks[0]?.status, { timeout: 15_000 }).toBe('failed');
  const term = await p.terminal('node1');
  await term.waitFor(/[#$] $/);
  const signalsBefore = p.trigger.stats.signals;
  const t0 = performance.now();
  term.type('ip link add br-fix type bridge\r');
  await expect.poll(() => views.find((v) => v.at > t0 && v.view.tasks[0]?.status === 'passed')?.at, { timeout: 5_000, interval: 20 }).toBeDefined();
  const green = views.find((v) => v.at > t0 && v.view.tasks[0]?.status === 'passed')!.at - t0;
  expect(green).toBeLessThan(1000);
  expect(p.trigger.stats.signals).toBeGreaterThan(signalsBefore);
  expect(views.at(-1)!.view.tasks[1]!.status).toBe('failed');
  stop();
});
