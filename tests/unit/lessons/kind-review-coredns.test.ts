// Adversarial review of the CoreDNS lesson's graders. The NodeLocal DNSCache task asks for a cache listening on
// 169.254.20.10 AND on 10.96.0.10; its jumpbox check only queries 169.254.20.10, so a cache on the link-local address
// alone (the IPVS-mode recipe) passed. An invariant on worker now reads which addresses UDP port 53 is bound on there.
// The near-miss tests fail on the challenge as it was before the review (it had no such invariant).
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { FAKE_CLOCK, runOnFakeNode } from './fake-node.ts';
import { runAgainstFakeCluster } from './fake-cluster.ts';

const lesson = 'content/04-dns-and-policy/02-coredns';

const task = (id: string) => challengeTask(lesson, id);

// `ss -Hlnu` on a kind worker (iproute2: State, Recv-Q, Send-Q, Local Address:Port, Peer Address:Port). Docker's
// embedded DNS listens on 127.0.0.11 at a random port inside every node container.
const ssWith = (...locals: string[]) =>
  `printf '${['127.0.0.11:46331', ...locals].map((l) => `UNCONN 0      0      ${l.padStart(18)}      0.0.0.0:*\\n`).join('')}'`;
describe('nodelocal: the cache must listen on 10.96.0.10 as well as on 169.254.20.10', () => {
  const t = task('nodelocal');
  const invariant = () => {
    const inv = t.invariants.find((i) => i.id === 'cache-on-both-addresses');
    expect(inv, 'nodelocal has the invariant cache-on-both-addresses').toBeDefined();
    expect(inv!.target).toBe('worker');
    return inv!.check;
  };

  it('the jumpbox check alone cannot tell: it passes whenever 169.254.20.10 answers (the gap the invariant closes)', () => {
    const kubectl = String.raw`case "$*" in
  *"get daemonset node-local-dns -o jsonpath"*) printf '3/3' ;;
  *"get daemonset node-local-dns"*) ;;
  *"exec deploy/web -- dig"*"@169.254.20.10"*) printf '10.96.0.1\n' ;;
  *) echo "unexpected kubectl $*" >&2; exit 1 ;;
esac`;
    expect(runOnFakeNode(t.check, { kubectl }).status).toBe(0);
  });

  it('passes the solution: UDP 53 bound on both addresses on the worker', () => {
    const r = runOnFakeNode(invariant(), { ss: ssWith('10.96.0.10:53', '169.254.20.10:53'), ...FAKE_CLOCK });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('rejects a cache on the link-local address only (the IPVS-mode recipe)', () => {
    const r = runOnFakeNode(invariant(), { ss: ssWith('169.254.20.10:53'), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: on worker, UDP port 53 is bound on '169.254.20.10:53'");
    expect(r.stdout).toContain('"expected":"169.254.20.10:53 10.96.0.10:53"');
  });

  it('rejects a worker with no cache at all (it does not count docker DNS on 127.0.0.11)', () => {
    const r = runOnFakeNode(invariant(), { ss: ssWith(), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("UDP port 53 is bound on 'nothing'");
  });

  it('does not take 10.96.0.10 on another port for the DNS socket', () => {
    const r = runOnFakeNode(invariant(), { ss: ssWith('169.254.20.10:53', '10.96.0.10:5353'), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
  });

  it('the near miss link-local-only applies the manifest with 169.254.20.10 alone in -localip and every bind', () => {
    const entry = t.wrong.find((w) => w.id === 'link-local-only');
    expect(entry, 'nodelocal lists the near miss').toBeDefined();
    const run = runAgainstFakeCluster(entry!.script);
    expect(run.status, run.output).toBe(0);
    expect(run.errors).toEqual([]);
    const ds = run.docs.find((d) => d.kind === 'DaemonSet') as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    expect(ds.spec.template.spec.containers[0]!.args.slice(0, 2)).toEqual(['-localip', '169.254.20.10']);
    const cm = run.docs.find((d) => d.kind === 'ConfigMap') as { data: { Corefile: string } };
    const binds = cm.data.Corefile.split('\n').filter((l) => l.trim().startsWith('bind '));
    expect(binds.map((l) => l.trim())).toEqual(['bind 169.254.20.10', 'bind 169.254.20.10', 'bind 169.254.20.10']);
    expect(run.output).not.toContain('PILLAR__DNS__SERVER');
    expect(JSON.stringify(run.docs)).not.toContain('__PILLAR__DNS__SERVER__');
  });

  it("the solution's manifest puts both addresses in -localip and every bind (so the invariant holds after it)", () => {
    const run = runAgainstFakeCluster(t.solution.script);
    expect(run.status, run.output).toBe(0);
    const ds = run.docs.find((d) => d.kind === 'DaemonSet') as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    expect(ds.spec.template.spec.containers[0]!.args.slice(0, 2)).toEqual(['-localip', '169.254.20.10,10.96.0.10']);
    const cm = run.docs.find((d) => d.kind === 'ConfigMap') as { data: { Corefile: string } };
    const binds = cm.data.Corefile.split('\n').filter((l) => l.trim().startsWith('bind '));
    expect(binds).toHaveLength(3);
    for (const b of binds) expect(b.trim()).toBe('bind 169.254.20.10 10.96.0.10');
  });
});
