// Review of the NodePort / LoadBalancer lesson's jumpbox checks against a scripted kubectl and curl. Each fake gives
// the answers a real kind cluster gives in one situation (kubectl's jsonpath output, agnhost netexec's /hostname and
// /clientip bodies, kube-proxy's health-check status codes); each near-miss test fails on the checks as they were
// before this review.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { FAKE_CLOCK, runOnFakeNode } from './fake-node.ts';

const lesson = 'content/03-services/03-nodeport-loadbalancer';

const check = (id: string) => challengeTask(lesson, id).check;

// `kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {…InternalIP…}{"\n"}{end}'` on a kind cluster.
const NODES = String.raw`printf 'kind-control-plane 172.18.0.2\nkind-worker 172.18.0.3\nkind-worker2 172.18.0.4\n'`;

describe('nodeport: web-np must keep passing once the next task sets externalTrafficPolicy Local', () => {
  // `slices` is what `{range .items[*].endpoints[*]}{.nodeName}{" "}{.conditions.ready}{"\n"}{end}` prints.
  const kubectl = (etp: string, slices: string) => String.raw`case "$*" in
  *"get service web-np"*"spec.type"*) printf 'NodePort 80 30080' ;;
  *"get service web-np"*externalTrafficPolicy*) printf '${etp}' ;;
  *"get endpointslices"*"service-name=web-np"*) printf '${slices}' ;;
  *"get nodes"*) ${NODES} ;;
esac`;
  // `answering` lists the node IPs whose port 30080 answers (agnhost /hostname prints the pod name); the others time out.
  const curl = (answering: string[]) => String.raw`case "$*" in
${answering.map((ip) => `  *"http://${ip}:30080/hostname"*) printf 'web-6d4cf56db6-x7k2p' ;;`).join('\n')}
  *) exit 28 ;;
esac`;

  it('passes with Cluster when every node answers (the solution)', () => {
    const r = runOnFakeNode(check('nodeport'), {
      kubectl: kubectl('Cluster', 'kind-worker true\\nkind-worker2 true\\n'),
      curl: curl(['172.18.0.2', '172.18.0.3', '172.18.0.4']),
      ...FAKE_CLOCK,
    });
    expect(r.status, r.stdout).toBe(0);
  });

  it('passes with Local when the nodes that run web answer and the control plane drops (after preserve-ip)', () => {
    const r = runOnFakeNode(check('nodeport'), {
      kubectl: kubectl('Local', 'kind-worker true\\nkind-worker2 true\\n'),
      curl: curl(['172.18.0.3', '172.18.0.4']),
      ...FAKE_CLOCK,
    });
    expect(r.status, r.stdout).toBe(0);
  });

  it('still fails with Cluster when the control plane does not answer', () => {
    const r = runOnFakeNode(check('nodeport'), {
      kubectl: kubectl('Cluster', 'kind-worker true\\nkind-worker2 true\\n'),
      curl: curl(['172.18.0.3', '172.18.0.4']),
      ...FAKE_CLOCK,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: port 30080 does not answer on: kind-control-plane');
  });

  it('fails with Local when a node that runs a ready web pod does not answer', () => {
    const r = runOnFakeNode(check('nodeport'), {
      kubectl: kubectl('Local', 'kind-worker true\\nkind-worker2 true\\n'),
      curl: curl(['172.18.0.3']),
      ...FAKE_CLOCK,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('does not answer on: kind-worker2');
    expect(r.stdout).toContain('every node that runs a web pod');
  });

  it('fails with Local when no ready web pod backs web-np (a not-ready endpoint does not count)', () => {
    const r = runOnFakeNode(check('nodeport'), {
      kubectl: kubectl('Local', 'kind-worker false\\n'),
      curl: curl(['172.18.0.2', '172.18.0.3', '172.18.0.4']),
      ...FAKE_CLOCK,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no node runs a ready web pod');
  });
});

describe("local-imbalance: api must be what answers on the worker's port 30090", () => {
  // `who` is what agnhost's /hostname returns through the worker's node port (the pod's name).
  const tools = (who: string) => ({
    kubectl: String.raw`case "$*" in
  *"get nodes -o name"*) printf 'node/kind-control-plane\nnode/kind-worker\nnode/kind-worker2\n' ;;
  *"get node kind-worker "*) printf '172.18.0.3' ;;
  *"get endpointslices"*"service-name=api-np"*) printf 'kind-worker true\nkind-worker2 true\n' ;;
esac`,
    // /clientip returns "ip:port" of the peer; -w ' %{local_ip}' appends the jumpbox's own address.
    curl: String.raw`case "$*" in
  *"http://172.18.0.3:30090/clientip"*) printf '172.18.0.9:43512 172.18.0.9' ;;
  *"http://172.18.0.3:30090/hostname"*) printf '${who}' ;;
  *) exit 28 ;;
esac`,
    ...FAKE_CLOCK,
  });

  it('passes when an api pod on the worker answers with the client address (the solution)', () => {
    const r = runOnFakeNode(check('local-imbalance'), tools('api-7f9c8d6b5-m2xqz'));
    expect(r.status, r.stdout).toBe(0);
  });

  it("rejects api-np pointed at web's pods on the worker (right client address, wrong app)", () => {
    const r = runOnFakeNode(check('local-imbalance'), tools('web-6d4cf56db6-x7k2p'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('answered by web-6d4cf56db6-x7k2p, not by an api pod');
    expect(r.stdout).toContain('"expected":"an api pod\'s name"');
  });
});

describe('healthy-nodes: the answer file is read by node name, not by the end of a line', () => {
  // kube-proxy's health-check server answers 200 where the Service has a local ready endpoint, 503 elsewhere.
  const tools = (healthy: string[]) => ({
    kubectl: String.raw`case "$*" in
  *"get service web-lb"*healthCheckNodePort*) printf '31234' ;;
  *"get nodes"*) ${NODES} ;;
esac`,
    curl: String.raw`case "$*" in
${healthy.map((ip) => `  *"http://${ip}:31234/"*) printf '200' ;;`).join('\n')}
  *"http://172.18.0."*":31234/"*) printf '503' ;;
  *) exit 28 ;;
esac`,
  });

  it('passes with the healthy nodes one per line (the solution)', () => {
    const r = runOnFakeNode(check('healthy-nodes'), tools(['172.18.0.3', '172.18.0.4']), { 'healthy-nodes': 'kind-worker\nkind-worker2\n' });
    expect(r.status, r.stdout).toBe(0);
  });

  it('rejects every node on one comma-separated line (it used to read as worker2 alone)', () => {
    const r = runOnFakeNode(check('healthy-nodes'), tools(['172.18.0.4']), {
      'healthy-nodes': 'kind-control-plane,kind-worker,kind-worker2\n',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('"observed":"control-plane worker worker2 "');
    expect(r.stdout).toContain('"expected":"worker2 "');
  });

  it('accepts the healthy nodes on one comma-separated line', () => {
    const r = runOnFakeNode(check('healthy-nodes'), tools(['172.18.0.3', '172.18.0.4']), { 'healthy-nodes': 'kind-worker,kind-worker2\n' });
    expect(r.status, r.stdout).toBe(0);
  });
});
