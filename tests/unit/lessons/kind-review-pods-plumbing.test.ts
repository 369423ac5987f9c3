// Adversarial review of "A pod's plumbing in a real cluster", task repair-route: the check only asks that client
// reaches api and that api keeps its UID. Two wrong repairs passed that: stopping api's sandbox on the node (the
// kubelet restarts the pod under the same UID, with a new veth, route and IP) and a /24 route out of api's veth
// instead of the /32 host route the worker lost. Each scenario runs the check and every invariant against scripted
// tools that print what kubectl, crictl, nsenter and iproute2 print on a kind worker.
import { describe, expect, it } from 'vitest';
import { challengeTask, loadChallenge } from './kind-lesson-files.ts';
import { runAgainstFakeCluster } from './fake-cluster.ts';
import { crictlWithSandbox, FAKE_CLOCK, runOnFakeNode } from './fake-node.ts';

const LESSON = 'content/01-pods/03-a-pods-plumbing-in-kind';

const UID = '3c1e5f4a-9b2d-4e8f-a7c6-0d1e2f3a4b5c';
const API_IP = '10.244.1.6';
const API_NETNS = '/var/run/netns/cni-5e6f7a8b-1111-2222-3333-444455556666';

interface Lab {
  /** What the API server reports for pod api now. */
  uid: string;
  podIP: string;
  /** `ip -4 route show exact <api IP>/32` on the worker (iproute2 format), '' when there is no such route. */
  exactRoute: string;
}

// jumpbox: kubectl against the lab (the ConfigMap holds what setup recorded; client's curl gets api's hostname).
function kubectl(lab: Lab): string {
  return String.raw`case "$*" in
  *"get configmap lesson-state"*apiUid*) printf '%s' '${UID}' ;;
  *"get configmap lesson-state"*apiIP*) printf '%s' '${API_IP}' ;;
  *"get pod api"*metadata.uid*) printf '%s' '${lab.uid}' ;;
  *"get pod api"*status.podIP*) printf '%s' '${lab.podIP}' ;;
  *"exec client -- curl"*"http://${lab.podIP}:8080/hostname"*) printf 'api' ;;
  *) exit 1 ;;
esac`;
}

// worker: api's sandbox, its eth0@if10, interface 10 = veth5e6f7a8b (web is on veth1a2b3c4d, index 9).
function workerTools(lab: Lab): Record<string, string> {
  return {
    crictl: crictlWithSandbox({ app: 'api', id: '5d4c3b2a1f0e', ip: lab.podIP, pid: 5151, netns: API_NETNS }),
    nsenter: String.raw`case "$*" in
  *"--net=${API_NETNS} ip -o link show eth0"*) echo '2: eth0@if10: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 7a:11:22:33:44:55 brd ff:ff:ff:ff:ff:ff link-netnsid 0' ;;
esac`,
    ip: String.raw`case "$*" in
  "-o link show") cat <<'EOF'
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
9: veth1a2b3c4d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 22:6c:51:3d:0f:7e brd ff:ff:ff:ff:ff:ff link-netns cni-0b5c9d1e-1111-2222-3333-444455556666
10: veth5e6f7a8b@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 5a:0b:1c:2d:3e:4f brd ff:ff:ff:ff:ff:ff link-netns cni-5e6f7a8b-1111-2222-3333-444455556666
12: eth0@if13: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 02:42:ac:12:00:03 brd ff:ff:ff:ff:ff:ff link-netnsid 0
EOF
  ;;
  "-4 route show exact ${lab.podIP}/32") ${lab.exactRoute ? `echo '${lab.exactRoute}'` : 'true'} ;;
esac`,
  };
}

/** Grades repair-route the way lab verify does: the check and every invariant must pass. */
function grade(lab: Lab) {
  const task = challengeTask(LESSON, 'repair-route');
  const tools = { kubectl: kubectl(lab), ...workerTools(lab), ...FAKE_CLOCK };
  const runs = [{ id: 'check', ...runOnFakeNode(task.check, tools) }, ...task.invariants.map((inv) => ({ id: inv.id, ...runOnFakeNode(inv.check, tools) }))];
  const failed = runs.filter((r) => r.status !== 0);
  return { passed: failed.length === 0, failed, output: runs.map((r) => `[${r.id}] ${r.stdout}${r.stderr}`).join('\n') };
}

describe("a pod's plumbing, repair-route: a repair on the node, not a restart", () => {
  it("passes after the solution (api's /32 back on api's veth, same pod, same IP)", () => {
    const r = grade({ uid: UID, podIP: API_IP, exactRoute: `${API_IP} dev veth5e6f7a8b scope host` });
    expect(r.passed, r.output).toBe(true);
  });

  it('passes with the route typed without /32 and without scope host (right: route-without-prefix-or-scope)', () => {
    const r = grade({ uid: UID, podIP: API_IP, exactRoute: `${API_IP} dev veth5e6f7a8b scope link` });
    expect(r.passed, r.output).toBe(true);
  });

  it("rejects api's sandbox stopped on the node: same UID, but a new sandbox with a new IP (wrong: sandbox-restarted)", () => {
    // The kubelet recreated the sandbox: ptp wired a new veth with a fresh /32, host-local gave the next address.
    const r = grade({ uid: UID, podIP: '10.244.1.8', exactRoute: '10.244.1.8 dev veth5e6f7a8b scope host' });
    expect(r.passed, r.output).toBe(false);
    expect(r.failed.map((f) => f.id)).toEqual(['same-pod']);
    expect(r.failed[0]!.stdout).toMatch(/^FAIL: pod api was restarted in a new sandbox \(its IP changed from 10\.244\.1\.6 to 10\.244\.1\.8\)/m);
  });

  it("rejects a /24 route out of api's veth in place of the lost /32 (wrong: node-range-to-api-veth)", () => {
    // `ip route replace 10.244.1.0/24 dev veth5e6f7a8b`: the curl gets through, `show exact <ip>/32` prints nothing.
    const r = grade({ uid: UID, podIP: API_IP, exactRoute: '' });
    expect(r.passed, r.output).toBe(false);
    expect(r.failed.map((f) => f.id)).toEqual(['api-host-route']);
    const out = r.failed[0]!.stdout;
    expect(out).toContain("FAIL: the worker has no /32 route to api (10.244.1.6) via api's veth veth5e6f7a8b");
    const verdict = JSON.parse(out.trim().split('\n').at(-1)!) as { observed: string; expected: string };
    expect(verdict).toMatchObject({ observed: 'no /32 route to 10.244.1.6', expected: '10.244.1.6/32 dev veth5e6f7a8b' });
  });

  it("rejects api's /32 pointed at web's veth, naming the device", () => {
    const r = grade({ uid: UID, podIP: API_IP, exactRoute: `${API_IP} dev veth1a2b3c4d scope host` });
    const inv = r.failed.find((f) => f.id === 'api-host-route');
    expect(inv, r.output).toBeTruthy();
    expect(inv!.stdout).toContain('"observed":"10.244.1.6/32 dev veth1a2b3c4d"');
  });

  it("setup records api's IP next to its UID, for the same-pod invariant", () => {
    const run = runAgainstFakeCluster(loadChallenge(LESSON).setup[0]!.script);
    expect(run.status, run.output).toBe(0);
    const create = run.calls.find((c) => c.startsWith('create configmap lesson-state'));
    expect(create).toMatch(/--from-literal=apiUid=\S+/);
    expect(create).toMatch(/--from-literal=apiIP=\S+/);
  });
});
