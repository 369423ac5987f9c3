// Review of the capstone's e2e invariants against a scripted kubectl and curl: each test gives them the answers a real
// kind cluster gives in one state (the shop restored as the solution does it, or restored by a near miss) and runs
// every invariant of the e2e task, as lab verify does after a near miss.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { runOnFakeNode, type NodeRun } from './fake-node.ts';

const lesson = 'content/06-troubleshooting/02-capstone';

const e2e = () => challengeTask(lesson, 'e2e');

interface Shop {
  /** readinessProbe of each deployment, as `kubectl get -o jsonpath='{…readinessProbe}'` prints it (JSON). */
  probes: Record<'frontend' | 'api' | 'db', string>;
  /** What `curl http://<api pod>:8080/hostname` run in the db pod prints: an api pod's name when policy lets it through. */
  dbToApi: string;
}

const httpGet = '{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"failureThreshold":3,"periodSeconds":3,"successThreshold":1,"timeoutSeconds":1}';
const tcpSocket = '{"failureThreshold":3,"periodSeconds":3,"successThreshold":1,"tcpSocket":{"port":8080},"timeoutSeconds":1}';
const execTrue = '{"exec":{"command":["sh","-c","exit 0"]},"failureThreshold":3,"periodSeconds":3,"successThreshold":1,"timeoutSeconds":1}';

/** The probe's httpGet.port and tcpSocket.port, concatenated, as the two jsonpath fields print them (missing → ""). */
function ports(probe: string): string {
  if (!probe) return '';
  const p = JSON.parse(probe) as { httpGet?: { port: number | string }; tcpSocket?: { port: number | string } };
  return `${p.httpGet?.port ?? ''}${p.tcpSocket?.port ?? ''}`;
}

const restored: Shop = { probes: { frontend: httpGet, api: httpGet, db: tcpSocket }, dbToApi: '' };

function tools(shop: Shop): Record<string, string> {
  const deployment = (d: 'frontend' | 'api' | 'db') =>
    String.raw`  *"-n shop get deployment ${d} -o jsonpath="*"readinessProbe.httpGet.port"*) printf '%s' '${ports(shop.probes[d])}' ;;
  *"-n shop get deployment ${d} -o jsonpath="*"readinessProbe}") printf '%s' '${shop.probes[d]}' ;;`;
  const kubectl = String.raw`case "$*" in
  "-n shop get deployment/"*|"-n shop get service/"*|"-n shop get networkpolicy/"*) exit 0 ;;
  "-n kube-system get deployment coredns") exit 0 ;;
${deployment('frontend')}
${deployment('api')}
${deployment('db')}
  *"-n shop get service frontend api db -o jsonpath="*) printf 'frontend:80 api:80 db:6379 ' ;;
  *"get nodes -o name"*) printf 'node/pw-abc-control-plane\nnode/pw-abc-worker\nnode/pw-abc-worker2\n' ;;
  *"get node pw-abc-worker -o jsonpath="*) printf '172.18.0.3' ;;
  *"-n shop get service db -o jsonpath="*) printf '10.96.41.7' ;;
  *"-n shop get pods -l app=api -o jsonpath="*) printf '10.244.1.6 10.244.2.5' ;;
  *"-n shop exec deploy/db -- curl"*) if [ -n '${shop.dbToApi}' ]; then printf '%s' '${shop.dbToApi}'; else echo 'command terminated with exit code 28' >&2; exit 28; fi ;;
  *) echo "unexpected kubectl $*" >&2; exit 1 ;;
esac`;
  // frontend dialling db's ClusterIP directly: denied by allow-db-from-api, so netexec reports the timeout.
  const curl = String.raw`case "$*" in
  *"172.18.0.3:30100/dial?"*"host=10.96.41.7"*) printf '{"errors":["reading from 10.96.41.7:6379: Get \"http://10.96.41.7:6379/hostname\": context deadline exceeded"]}' ;;
  *) exit 7 ;;
esac`;
  return { kubectl, curl };
}

/** Runs every invariant of the e2e task; returns each one's result by id. */
function invariants(shop: Shop): Record<string, NodeRun> {
  const out: Record<string, NodeRun> = {};
  for (const inv of e2e().invariants) out[inv.id] = runOnFakeNode(inv.check, tools(shop));
  return out;
}

const failing = (runs: Record<string, NodeRun>) => Object.entries(runs).filter(([, r]) => r.status !== 0);

describe("capstone, e2e invariants: the design stays (probes on the app's port, api admitted from frontend only)", () => {
  it('every invariant passes on the shop as the solution restores it', () => {
    const runs = invariants(restored);
    for (const [id, r] of Object.entries(runs)) expect(r.status, `${id}: ${r.stdout}${r.stderr}`).toBe(0);
  });

  it("rejects probe-always-ready: frontend's probe swapped for exec 'exit 0', which can never fail", () => {
    const runs = invariants({ ...restored, probes: { ...restored.probes, frontend: execTrue } });
    const bad = failing(runs);
    expect(bad.map(([id]) => id)).toEqual(['design-kept']);
    expect(bad[0]![1].stdout).toMatch(
      /^FAIL: part of the design is gone or changed: readinessProbe\/frontend\(not an httpGet or tcpSocket probe on port 8080\)/m,
    );
  });

  it('names the port of a probe that does not test the app on 8080', () => {
    const moved = '{"httpGet":{"path":"/healthz","port":8081,"scheme":"HTTP"},"periodSeconds":3}';
    const bad = failing(invariants({ ...restored, probes: { ...restored.probes, db: moved } }));
    expect(bad.map(([id]) => id)).toEqual(['design-kept']);
    expect(bad[0]![1].stdout).toContain('readinessProbe/db(port 8081, not an httpGet or tcpSocket probe on port 8080)');
  });

  it('still rejects drop-probes: no readiness probe at all', () => {
    const bad = failing(invariants({ ...restored, probes: { frontend: '', api: '', db: '' } }));
    expect(bad.map(([id]) => id)).toEqual(['design-kept']);
    expect(bad[0]![1].stdout).toContain('readinessProbe/frontend(');
    expect(bad[0]![1].stdout).toContain('readinessProbe/db(');
  });

  it('rejects api-open-to-all: allow-api-from-frontend opened to every source, so db reaches api', () => {
    const bad = failing(invariants({ ...restored, dbToApi: 'api-5f8c9d7b6-q4w2e' }));
    expect(bad.map(([id]) => id)).toEqual(['api-only-from-frontend']);
    expect(bad[0]![1].stdout).toContain('FAIL: db reaches api pod 10.244.1.6 on 8080; only frontend may');
  });

  it('the two near misses run the solution with exactly one repair changed', () => {
    const t = e2e();
    const solution = t.solution.script.split('\n');
    for (const [id, replaced] of [
      ['probe-always-ready', 'readinessProbe/httpGet/port'],
      ['api-open-to-all', 'allow-api-from-frontend --type=json'],
    ] as const) {
      const entry = t.wrong.find((w) => w.id === id)!.script.split('\n');
      const kept = solution.filter((l) => !l.includes(replaced));
      expect(kept.length, id).toBe(solution.length - 1);
      expect(
        entry.filter((l) => kept.includes(l)),
        id,
      ).toEqual(kept);
      expect(entry.length, id).toBe(solution.length + 1);
    }
  });
});
