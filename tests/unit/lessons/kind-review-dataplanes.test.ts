// Review of the dataplanes lesson's nft-canary grader against a scripted kubectl: each test gives kubectl the answers a
// real kind cluster gives in one state (the canary done right, or a near miss) and asserts the check's verdict.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { FAKE_CLOCK, runOnFakeNode } from './fake-node.ts';

const lesson = 'content/05-edge-and-dataplane/02-dataplanes';

const task = (id: string) => challengeTask(lesson, id);

/** One running pod in kube-system: its name, node, owner (kind/name) and, for kube-proxy, the proxier it logged. */
interface Pod {
  name: string;
  node: string;
  owner: string;
  proxier?: 'iptables' | 'nftables';
}

const NODES = ['pw-abc-control-plane', 'pw-abc-worker', 'pw-abc-worker2'];

/**
 * kubectl as the check calls it. The pod listing is what `-o jsonpath` prints for the check's template (name, node,
 * phase, ownerReferences[0] as Kind/name); the logs carry kube-proxy's klog line from cmd/kube-proxy/app/server_linux.go.
 */
function kubectl(pods: Pod[], curl = 'bulk-7c9d8f6b5-x2k4q'): string {
  const listing = pods.map((p) => `${p.name} ${p.node} Running ${p.owner}`).join('\\n');
  const logs = pods
    .filter((p) => p.proxier)
    .map(
      (p) =>
        `  *"-n kube-system logs ${p.name}") printf '%s\\n' 'I0525 03:56:52.753938       1 server.go:274] "kube-proxy running in dual-stack mode" primary ipFamily="IPv4"' 'I0525 03:56:52.754214       1 server_linux.go:254] "Using ${p.proxier} Proxier"' ;;`,
    )
    .join('\n');
  return String.raw`case "$*" in
  *"get service bulk"*) printf '10.96.112.40' ;;
  *"-n kube-system get pods"*) printf '${listing}\n' ;;
  *"get nodes"*) printf '${NODES.join('\\n')}\n' ;;
${logs}
  *"exec probe-w2 -- curl"*) printf '${curl}' ;;
esac`;
}

const ds = (name: string) => `DaemonSet/${name}`;
const coredns: Pod = { name: 'coredns-674b8bbfcf-7xq2m', node: 'pw-abc-worker', owner: 'ReplicaSet/coredns-674b8bbfcf' };

describe('dataplanes, nft-canary: worker2 in nftables mode from a DaemonSet of its own, every other node in iptables', () => {
  const check = task('nft-canary').check;

  it('passes the state the solution leaves: kube-proxy on the control plane and the worker, kube-proxy-nft on worker2', () => {
    const pods: Pod[] = [
      { name: 'kube-proxy-4kq8v', node: 'pw-abc-control-plane', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-t7x2m', node: 'pw-abc-worker', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-nft-9wz5c', node: 'pw-abc-worker2', owner: ds('kube-proxy-nft'), proxier: 'nftables' },
      coredns,
    ];
    const r = runOnFakeNode(check, { kubectl: kubectl(pods), ...FAKE_CLOCK });
    expect(r.status, r.stdout).toBe(0);
  });

  it('rejects control-plane-dropped: the iptables DaemonSet pinned to the worker leaves the control plane without kube-proxy', () => {
    const pods: Pod[] = [
      { name: 'kube-proxy-t7x2m', node: 'pw-abc-worker', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-nft-9wz5c', node: 'pw-abc-worker2', owner: ds('kube-proxy-nft'), proxier: 'nftables' },
      coredns,
    ];
    const r = runOnFakeNode(check, { kubectl: kubectl(pods), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: ');
    expect(r.stdout).toContain('every node must run exactly one kube-proxy');
    expect(r.stdout).toMatch(/"observed":"[^"]*pw-abc-control-plane/);
  });

  it("rejects shared-daemonset: worker2's nftables pod comes from the same DaemonSet as the iptables ones", () => {
    // The shared ConfigMap says nftables; only worker2's pod was restarted, the others still run what they read at start.
    const pods: Pod[] = [
      { name: 'kube-proxy-4kq8v', node: 'pw-abc-control-plane', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-t7x2m', node: 'pw-abc-worker', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-h2n6d', node: 'pw-abc-worker2', owner: ds('kube-proxy'), proxier: 'nftables' },
      coredns,
    ];
    const r = runOnFakeNode(check, { kubectl: kubectl(pods), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("worker2's kube-proxy belongs to DaemonSet/kube-proxy");
    expect(r.stdout).toContain('pw-abc-worker');
    expect(r.stdout).toMatch(/\{"observed":/);
  });

  it('still rejects worker2 running both the iptables and the nftables kube-proxy', () => {
    const pods: Pod[] = [
      { name: 'kube-proxy-4kq8v', node: 'pw-abc-control-plane', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-t7x2m', node: 'pw-abc-worker', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-h2n6d', node: 'pw-abc-worker2', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-nft-9wz5c', node: 'pw-abc-worker2', owner: ds('kube-proxy-nft'), proxier: 'nftables' },
    ];
    const r = runOnFakeNode(check, { kubectl: kubectl(pods), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('worker2=iptables');
  });

  it('still rejects a right layout whose Service does not answer from probe-w2', () => {
    const pods: Pod[] = [
      { name: 'kube-proxy-4kq8v', node: 'pw-abc-control-plane', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-t7x2m', node: 'pw-abc-worker', owner: ds('kube-proxy'), proxier: 'iptables' },
      { name: 'kube-proxy-nft-9wz5c', node: 'pw-abc-worker2', owner: ds('kube-proxy-nft'), proxier: 'nftables' },
    ];
    const r = runOnFakeNode(check, { kubectl: kubectl(pods, ''), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("probe-w2 got 'nothing'");
  });

  it("the control-plane-dropped near miss applies the solution's canary manifest, unchanged", () => {
    const t = task('nft-canary');
    const heredoc = (script: string) => /<<'EOF' \| kubectl apply -f -\n([\s\S]*?)\nEOF\n/.exec(script)?.[1];
    const entry = t.wrong.find((w) => w.id === 'control-plane-dropped')!;
    expect(heredoc(entry.script)).toBeTruthy();
    expect(heredoc(entry.script)).toBe(heredoc(t.solution.script));
    // Pinned to the worker by hostname: the control plane and worker2 both lose the iptables pod.
    expect(entry.script).toContain('"nodeSelector":{"kubernetes.io/hostname":"\'"$W1"\'"}');
  });
});
