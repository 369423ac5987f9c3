// Near misses and right variants on a real lab: each runs on freshly reset node containers after setup and the
// earlier tasks' solutions, a near miss that the check lets through is reported with the check's output, and a
// near miss caught only by an invariant counts as rejected.
import { afterAll, describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { verifyLesson } from '../../../lab-runner/grader/verify-lesson.ts';
import { formatLessonVerification } from '../../../lab-runner/grader/verify-report.ts';
import { startGraderLab } from './grader-lab.ts';
import type { GraderLab } from './grader-lab.ts';

const labs: GraderLab[] = [];
afterAll(async () => {
  for (const l of labs) await l.close();
});

// Task 1 makes a namespace; task 2 asks for a /24 route to a pod range through a veth, and keeps task 1's namespace.
const CHALLENGE = `
setup:
  - target: node1
    script: ip link add veth-x type veth peer name veth-y && ip link set veth-x up && ip link set veth-y up
tasks:
  - id: netns
    title: netns
    description: d
    target: node1
    check: ip netns list | grep -qw pod-a || fail "no netns pod-a"
    solution: { text: t, script: ip netns add pod-a }
    wrong:
      - { id: other-name, title: a namespace with another name, script: ip netns add pod-b }
  - id: range-route
    title: route
    description: d
    target: node1
    check: |
      r=$(ip -j route show 10.100.5.0/24 | jq -r '.[0].dev // empty')
      expect_eq "$r" veth-x "the route for 10.100.5.0/24" "ip route add 10.100.5.0/24 dev veth-x"
    invariants:
      - id: netns-kept
        title: pod-a still exists
        check: ip netns list | grep -qw pod-a || fail "pod-a was deleted"
    solution: { text: t, script: ip route add 10.100.5.0/24 dev veth-x }
    wrong:
      - { id: host-route, title: a /32 instead of the range, script: ip route add 10.100.5.7/32 dev veth-x }
      - { id: by-deletion, title: right route but pod-a deleted, script: ip route add 10.100.5.0/24 dev veth-x && ip netns del pod-a }
      - { id: too-broad, title: a /16 the check does not look at, script: ip route add 10.100.0.0/16 dev veth-x && ip route add 10.100.5.0/24 dev veth-x }
    right:
      - { id: replace, title: ip route replace, script: ip route replace 10.100.5.0/24 dev veth-x }
      - { id: isolated, title: nothing left over from the entries before, script: '! ip route show 10.100.0.0/16 | grep -q . && ip netns list | grep -qw pod-a && ip route add 10.100.5.0/24 dev veth-x' }
`;

describe('lab verify: near misses and variants on a real lab', () => {
  it('rejects and accepts each entry on a reset lab, and reports the near miss the check lets through', async () => {
    const parsed = parseChallenge(CHALLENGE, 'challenge.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const lab = await startGraderLab({ template: 'nodes-1' });
    labs.push(lab);
    const before = lab.containers.get('node1');
    const lesson: LessonChallenge = { lesson: 'm/l', title: 'L', href: '', sandbox: 'nodes-1', challengeFile: 'challenge.yaml', challenge: parsed.challenge };
    const v = await verifyLesson(lesson, { labs: lab.labs });
    const report = formatLessonVerification(v);
    expect(
      v.tasks.every((t) => t.finalCheck.outcome === 'ok'),
      report,
    ).toBe(true);
    const by = Object.fromEntries((v.variants ?? []).map((x) => [x.id, x]));
    expect(by['other-name'], report).toMatchObject({ outcome: 'ok', verdict: 'check: no netns pod-a' });
    expect(by['host-route'], report).toMatchObject({ outcome: 'ok', verdict: 'check: expected veth-x, found nothing' });
    expect(by['by-deletion'], report).toMatchObject({ outcome: 'ok', verdict: 'invariant netns-kept: pod-a was deleted' });
    expect(by['too-broad'], report).toMatchObject({ outcome: 'failed' });
    expect(by['too-broad']!.detail).toMatch(/^the near miss PASSES/);
    expect(by.replace, report).toMatchObject({ outcome: 'ok' });
    expect(by.isolated, report).toMatchObject({ outcome: 'ok' });
    expect(v.outcome).toBe('failed');
    expect(report).toContain('✗ range-route wrong too-broad: the near miss PASSES');
    // Every entry ran on new containers.
    expect(lab.containers.get('node1')).not.toBe(before);
  });
});
