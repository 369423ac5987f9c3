// Adversarial review of the EndpointSlices lesson's graders: each test gives a scripted kubectl the answers a real
// kind cluster gives in one state (a near miss or the real fix) and asserts the check's verdict. The near-miss tests
// fail on the check as it was before the review.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { runOnFakeNode } from './fake-node.ts';
import { runAgainstFakeCluster } from './fake-cluster.ts';

const lesson = 'content/03-services/04-endpointslices-and-readiness';

const task = (id: string) => challengeTask(lesson, id);

describe('legacy-slice: the Service port is 80 and named http, as the task says', () => {
  const t = task('legacy-slice');
  // What kubectl prints on a kind cluster once legacy and its hand-written slice exist. `ports` is the Service's
  // `{range .spec.ports[*]}{.name}:{.port} {end}` (a missing name prints as nothing: kubectl get ignores missing keys).
  const kubectl = (ports: string, curl = 'kind-worker2') => String.raw`case "$*" in
  *"get nodes -o name"*) printf 'node/kind-control-plane\nnode/kind-worker\nnode/kind-worker2\n' ;;
  *"get node kind-worker2 -o jsonpath"*InternalIP*) printf '172.18.0.4' ;;
  *"get service legacy -o jsonpath={.spec.selector}"*) ;;
  *"get service legacy -o jsonpath={range .spec.ports"*) printf '%s' '${ports}' ;;
  "get service legacy") printf 'NAME     TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\nlegacy   ClusterIP   10.96.57.210   <none>        80/TCP    5s\n' ;;
  *"get endpointslices -l kubernetes.io/service-name=legacy"*) printf '172.18.0.4 9090\n' ;;
  *"exec client -- curl -s -m 2 http://legacy/hostname"*) printf '%s' '${curl}' ;;
  *) echo "unexpected kubectl $*" >&2; exit 1 ;;
esac`;

  it('passes the solution: port 80 named http, a slice to worker2:9090, and client gets an answer', () => {
    const r = runOnFakeNode(t.check, { kubectl: kubectl('http:80 ') });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('rejects unnamed ports on both sides (they match each other, so curl works, but the task names the port http)', () => {
    const r = runOnFakeNode(t.check, { kubectl: kubectl(':80 ') });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: Service legacy has no port 80 named http');
    expect(r.stdout).toContain('"expected":"http:80"');
  });

  it('accepts the http port among others', () => {
    const r = runOnFakeNode(t.check, { kubectl: kubectl('metrics:9100 http:80 ') });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('the near miss unnamed-ports-both-sides really leaves both ports unnamed', () => {
    const entry = t.wrong.find((w) => w.id === 'unnamed-ports-both-sides');
    expect(entry, 'legacy-slice lists the near miss').toBeDefined();
    const run = runAgainstFakeCluster(entry!.script);
    expect(run.status, run.output).toBe(0);
    const svc = run.docs.find((d) => d.kind === 'Service') as { spec: { selector?: unknown; ports: { name?: string; port: number }[] } };
    const slice = run.docs.find((d) => d.kind === 'EndpointSlice') as { ports: { name?: string; port: number }[]; endpoints: { addresses: string[] }[] };
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(slice.ports).toEqual([{ port: 9090, protocol: 'TCP' }]);
    expect(slice.endpoints[0]!.addresses).toEqual(['192.0.2.3']);
  });
});
