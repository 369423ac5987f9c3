// Issue #21 item 4: a passed task must not stay green after a later task's fix takes its traffic away. In "Pod to pod
// on one node" a learner can pass ptp-pods, then clean FORWARD up while fixing the bridge (bridge-forward). The bridge
// then works, and pod-3 silently loses pod-4; ptp-pods' invariant on that traffic makes the task un-pass, with a
// verdict that says what broke. Runs the lesson's own challenge on a real nodes-1 lab.
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../course/challenge/challenge-schema.ts';
import { lessonChallengeLab } from './lesson-challenge-lab.ts';

const { task, run } = lessonChallengeLab('content/01-pods/02-pod-to-pod-on-one-node/challenge.yaml', 'earlier-task-traffic');
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
