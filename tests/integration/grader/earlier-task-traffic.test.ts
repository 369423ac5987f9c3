// Issue #21 item 4: a passed task must not stay green after a later task's fix takes its traffic away. In "Pod to pod
// on one node" a learner can pass ptp-pods, then clean FORWARD up while fixing the bridge (bridge-forward). The bridge
// then works, and pod-3 silently loses pod-4; ptp-pods' invariant on that traffic makes the task un-pass, with a
// verdict that says what broke. Runs the lesson's own challenge on a real nodes-1 lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChallengeOrThrow } from '../../../course/challenge/challenge-loader.ts';
import type { Challenge, Task } from '../../../course/challenge/challenge-schema.ts';
import { runScript } from '../../../lab-runner/grader/check-runner.ts';
import type { LabExec } from '../../../lab-runner/grader/check-runner.ts';
import { runSetup } from '../../../lab-runner/grader/setup-runner.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

const FILE = 'content/01-pods/02-pod-to-pod-on-one-node/challenge.yaml';

let t: TestEngine;
let lab: ReadyLab;
let challenge: Challenge;
let exec: LabExec;
beforeAll(async () => {
  challenge = await loadChallengeOrThrow(FILE);
  t = makeTestEngine();
  lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'earlier-task-traffic' });
  exec = t.engine.labs.exec.bind(t.engine.labs);
  expect((await runSetup(exec, lab.id, challenge)).ok).toBe(true);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

const task = (id: string) => challenge.tasks.find((x) => x.id === id)!;
const run = (script: string, label: string, target = 'node1') => runScript(exec, { labId: lab.id, target, script, timeoutMs: 60_000, label });
const check = (x: Task) => run(x.check, x.id, x.target);
const invariants = async (x: Task) =>
  Object.fromEntries(await Promise.all(x.invariants.map(async (inv) => [inv.id, (await run(inv.check, inv.id, inv.target ?? x.target)).verdict] as const)));

describe('an earlier task keeps an invariant on its own traffic (pod-to-pod-on-one-node)', () => {
  it('ptp-pods un-passes when cleaning FORWARD up for the bridge takes pod-3 -> pod-4 away', async () => {
    const ptp = task('ptp-pods');
    expect((await run(ptp.solution.script, 'ptp solution')).verdict.outcome).toBe('passed');
    expect((await check(ptp)).verdict.outcome).toBe('passed');
    for (const [id, v] of Object.entries(await invariants(ptp))) expect(v.outcome, id).toBe('passed');

    // Later, for bridge-forward: the learner starts FORWARD over and allows only the bridge.
    expect((await run(task('build-bridge').solution.script, 'bridge solution')).verdict.outcome).toBe('passed');
    expect((await run('iptables -F FORWARD && iptables -A FORWARD -i br0 -o br0 -j ACCEPT', 'flush and allow br0')).verdict.outcome).toBe('passed');
    const bridge = task('bridge-forward');
    expect((await check(bridge)).verdict.outcome).toBe('passed');

    // ptp-pods' own traffic is gone: its invariant fails (a passed task un-passes), and says why.
    const after = await invariants(ptp);
    expect(after['ptp-pods-still-talk']).toMatchObject({ outcome: 'failed' });
    expect(after['ptp-pods-still-talk']!.summary).toMatch(/pod-3 no longer gets a reply from pod-4/);
  }, 180_000);
});
