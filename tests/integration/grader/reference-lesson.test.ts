// The reference lesson's challenge ("Pods and network namespaces", nodes-2) proven on a real two-node lab:
// the same verifyLesson that `npm run lab -- verify` runs (setup, every task fails first, solutions in order,
// every task passes and every invariant holds after).
import { afterAll, describe, expect, it } from 'vitest';
import { loadChallengeOrThrow } from '../../../course/challenge/challenge-loader.ts';
import { verifyLesson } from '../../../lab-runner/grader/verify-lesson.ts';
import { formatLessonVerification } from '../../../lab-runner/grader/verify-report.ts';
import { startGraderLab } from './grader-lab.ts';
import type { GraderLab } from './grader-lab.ts';

const FILE = 'content/01-pods/01-pods-and-network-namespaces/challenge.yaml';
const labs: GraderLab[] = [];
afterAll(async () => {
  for (const l of labs) await l.close();
});

describe('reference lesson: pods and network namespaces', () => {
  it('has at least 4 tasks, one found-answer task and one break-fix task with an invariant', async () => {
    const c = await loadChallengeOrThrow(FILE);
    expect(c.tasks.length).toBeGreaterThanOrEqual(4);
    expect(c.tasks.some((t) => /answers\//.test(t.check))).toBe(true);
    expect(c.tasks.some((t) => t.invariants.length > 0)).toBe(true);
    expect(c.setup.length).toBeGreaterThan(0);
  });

  it('verifies on a real nodes-2 lab', async () => {
    const challenge = await loadChallengeOrThrow(FILE);
    const lab = await startGraderLab({ template: 'nodes-2' });
    labs.push(lab);
    const result = await verifyLesson(
      { lesson: 'pods/pods-and-network-namespaces', title: 'Pods and network namespaces', href: '', sandbox: 'nodes-2', challengeFile: FILE, challenge },
      // Its near misses and variants run in "lab verify all" (CI) on the real sandbox; running them here too would
      // only double the time (verify-variants.test.ts covers the mechanism on a real lab).
      { labs: lab.labs, skipVariants: true },
    );
    const report = formatLessonVerification(result);
    expect(result.outcome, report).toBe('passed');
    expect(result.tasks.length).toBe(challenge.tasks.length);
  });

  it('the found-answer task compares with live truth: a copied answer from another lab fails', async () => {
    const challenge = await loadChallengeOrThrow(FILE);
    const task = challenge.tasks.find((t) => /answers\//.test(t.check))!;
    const [a, b] = [await startGraderLab({ template: 'nodes-2' }), await startGraderLab({ template: 'nodes-2' })];
    labs.push(a, b);
    const { runSetup } = await import('../../../lab-runner/grader/setup-runner.ts');
    const { runScript } = await import('../../../lab-runner/grader/check-runner.ts');
    for (const l of [a, b]) expect((await runSetup(l.labs.exec.bind(l.labs), l.labId, challenge)).ok).toBe(true);
    // Solve in lab a, then write lab a's answer into lab b.
    await runScript(a.labs.exec.bind(a.labs), {
      labId: a.labId,
      target: task.solution.target ?? task.target,
      script: task.solution.script,
      timeoutMs: 30_000,
      label: 's',
    });
    const answer = (await a.sh(task.target, 'cat /root/answers/veth')).stdout.trim();
    const truthB = (await b.sh(task.target, "ip route get 10.200.2.23 | grep -o 'dev [^ ]*' | cut -d' ' -f2")).stdout.trim();
    expect(answer).not.toBe(truthB); // veth names are random per lab
    await b.sh(task.target, `mkdir -p /root/answers && echo ${answer} > /root/answers/veth`);
    const check = (l: GraderLab) =>
      runScript(l.labs.exec.bind(l.labs), { labId: l.labId, target: task.target, script: task.check, timeoutMs: task.timeout, label: 'c' });
    expect((await check(a)).verdict.outcome).toBe('passed');
    expect((await check(b)).verdict.outcome).toBe('failed');
  });
});
