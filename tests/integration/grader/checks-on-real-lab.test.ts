// Checks against a real lab: they follow the lab as it changes, a hanging check is killed at its timeout,
// and nothing a learner can do inside the lab reveals a check's script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../../lab-runner/grader/check-runner.ts';
import { Grader } from '../../../lab-runner/grader/grader.ts';
import { parseChallenge } from '../../../course/challenge/challenge-loader.ts';
import type { LessonChallenge } from '../../../course/challenge/lesson-challenges.ts';
import { SqliteProgressStore } from '../../../lab-runner/store/progress-store-sqlite.ts';
import { openProgressDb } from '../../fixtures/grader/open-progress-db.ts';
import { startGraderLab } from './grader-lab.ts';
import type { GraderLab } from './grader-lab.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

let lab: GraderLab;
beforeAll(async () => {
  lab = await startGraderLab();
});
afterAll(async () => {
  await lab?.close();
});

const exec = () => lab.labs.exec.bind(lab.labs);

describe('checks on a real lab', () => {
  it('pass and fail as the lab changes, with structured verdicts', async () => {
    const check = `
      n=$(ip -br link show master br0 2>/dev/null | wc -l)
      expect_eq "$n" 2 "ports on br0" "ip link set <veth> master br0"`;
    const run = () => runScript(exec(), { labId: lab.labId, target: 'node1', script: check, timeoutMs: 10_000, label: 'bridge' });
    let r = await run();
    expect(r.verdict).toMatchObject({ outcome: 'failed', summary: 'expected 2, found 0', structured: { observed: '0', expected: '2' } });
    await lab.sh('node1', 'ip link add br0 type bridge && ip link add va type veth peer name vb && ip link set va master br0');
    r = await run();
    expect(r.verdict.summary).toBe('expected 2, found 1');
    await lab.sh('node1', 'ip link add vc type veth peer name vd && ip link set vc master br0');
    r = await run();
    expect(r.verdict.outcome).toBe('passed');
    await lab.sh('node1', 'ip link del vc');
    expect((await run()).verdict.summary).toBe('expected 2, found 1');
  });

  it('kills a check that hangs at its timeout, including what it started', async () => {
    const t0 = Date.now();
    const r = await runScript(exec(), {
      labId: lab.labId,
      target: 'node1',
      script: 'echo "FAIL: still waiting"; (sleep 300 &) ; sleep 300',
      timeoutMs: 1_500,
      label: 'hang',
    });
    const elapsed = Date.now() - t0;
    expect(r.verdict).toMatchObject({ outcome: 'timeout', failLines: ['still waiting'] });
    expect(r.verdict.summary).toBe('The check did not finish after 1.5 s and was stopped.');
    expect(elapsed).toBeLessThan(10_000);
    const ps = await lab.sh('node1', 'ps -eo args | grep -c "[s]leep 300" || true');
    expect(ps.stdout.trim()).toBe('0');
  });

  it('cannot be read from inside the lab: not on disk, not in any process argv or environment', async () => {
    const marker = `secret-marker-${Date.now()}`;
    // A long-running check, so we can look while it runs.
    const running = runScript(exec(), { labId: lab.labId, target: 'node1', script: `# ${marker}\nsleep 3; exit 1`, timeoutMs: 10_000, label: 'secret' });
    await new Promise((r) => setTimeout(r, 1_000));
    // The probe rebuilds the marker from its reverse and feeds it to grep on a pipe, so the probe's own argv never holds it.
    const probeFor = (needle: string) => `m=$(printf %s ${[...needle].reverse().join('')} | rev)
      ps -eo args | grep -cF -f <(printf '%s\\n' "$m")
      cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -cF -f <(printf '%s\\n' "$m")
      grep -rIlF --exclude-dir=proc --exclude-dir=sys -f <(printf '%s\\n' "$m") / 2>/dev/null | wc -l`;
    const probe = probeFor(marker);
    // Control: the probe does see a marker that is in a process's argv.
    const control = lab.sh('node1', `sleep 2 # ${marker}-control`);
    await new Promise((r) => setTimeout(r, 300));
    expect(Number((await lab.sh('node1', probeFor(`${marker}-control`))).stdout.trim().split('\n')[0])).toBeGreaterThanOrEqual(1);
    await control;
    const during = await lab.sh('node1', probe);
    const [argvHits, envHits, fileHits] = during.stdout
      .trim()
      .split('\n')
      .map((s) => Number(s.trim()));
    expect(argvHits).toBe(0);
    expect(envHits).toBe(0);
    expect(fileHits).toBe(0);
    expect((await running).verdict.outcome).toBe('failed');
    const after = await lab.sh('node1', probe);
    expect(
      after.stdout
        .trim()
        .split('\n')
        .map((x) => x.trim()),
    ).toEqual(['0', '0', '0']);
  });
});

describe('the grader on a real lab', () => {
  it('turns tasks green in order as the learner works, without a Check click; a break-fix invariant un-passes', async () => {
    const r = parseChallenge(
      `
setup:
  - target: node1
    script: ip netns add broken && ip link add dummy-fault type veth peer name dummy-peer
tasks:
  - id: make-ns
    title: Create netns pod-a
    description: d
    target: node1
    check: ip netns list | grep -qw pod-a || fail "there is no network namespace named pod-a"
    solution: {text: t, script: ip netns add pod-a}
  - id: remove-fault
    title: Remove the fault, keep netns broken
    description: d
    target: node1
    needs: [make-ns]
    check: "! ip link show dummy-fault >/dev/null 2>&1 || fail 'dummy-fault is still there'"
    invariants:
      - {id: keep, title: netns broken still exists, check: 'ip netns list | grep -qw broken'}
    solution: {text: t, script: ip link del dummy-fault}
`,
      'challenge.yaml',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const lesson: LessonChallenge = { lesson: 'm/l', title: 'L', href: '/learn/m/l', sandbox: 'nodes-2', challengeFile: 'c', challenge: r.challenge };
    const db = openProgressDb(await mkdtemp(path.join(tmpdir(), 'pw-grader-int-')));
    const grader = new Grader({
      labs: lab.labs,
      progress: new SqliteProgressStore(db),
      lessons: { get: async () => lesson, list: async () => [lesson] },
      intervalMs: 300,
    });
    const key = { labId: lab.labId, lesson: 'm/l', learnerId: lab.learnerId };
    const seen: string[] = [];
    let last: Record<string, string> = {};
    const stop = await grader.watch(key, (v) => {
      last = Object.fromEntries(v.tasks.map((t) => [t.id, t.status]));
      const s = JSON.stringify(last);
      if (seen.at(-1) !== s) seen.push(s);
    });
    const until = async (want: Record<string, string>) => {
      const end = Date.now() + 20_000;
      while (Date.now() < end && JSON.stringify(last) !== JSON.stringify(want)) await new Promise((res) => setTimeout(res, 50));
      expect(last).toEqual(want);
    };
    try {
      await until({ 'make-ns': 'failed', 'remove-fault': 'blocked' });
      expect((await lab.sh('node1', 'ip link show dummy-fault >/dev/null && echo fault-present')).stdout).toContain('fault-present');
      await lab.sh('node1', 'ip netns add pod-a');
      await until({ 'make-ns': 'passed', 'remove-fault': 'failed' });
      await lab.sh('node1', 'ip netns del broken; ip link del dummy-fault'); // "fix by deletion"
      await until({ 'make-ns': 'passed', 'remove-fault': 'failed' });
      await lab.sh('node1', 'ip netns add broken');
      await until({ 'make-ns': 'passed', 'remove-fault': 'passed' });
      await lab.sh('node1', 'ip netns del broken');
      await until({ 'make-ns': 'passed', 'remove-fault': 'failed' });
      // Never out of order: remove-fault was never passed while make-ns was not.
      for (const s of seen) {
        const st = JSON.parse(s) as Record<string, string>;
        if (st['remove-fault'] === 'passed') expect(st['make-ns']).toBe('passed');
      }
    } finally {
      stop();
      await grader.close();
      db.close();
    }
  });
});
