// Adversarial review of the NetworkPolicy lesson's jumpbox checks. A scripted kubectl answers as the API server would
// (policies as stored: policyTypes set, port protocols defaulted to TCP; namespaces with their automatic
// kubernetes.io/metadata.name label) and the pods' curls answer as the enforced policies would. Each near miss below
// passed the check as it was before this review; the right answers must keep passing.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { runOnFakeNode } from './fake-node.ts';

const LESSON = 'content/04-dns-and-policy/04-network-policy';

const task = (id: string) => challengeTask(LESSON, id);

/** A kubectl that answers each `case` glob on "$*" with the given text (first match wins). */
function kubectl(answers: [glob: string, out: string][]): string {
  const arms = answers.map(([glob, out]) => `  ${glob}) cat <<'PW_EOF'\n${out}\nPW_EOF\n  ;;`).join('\n');
  return `case "$*" in\n${arms}\n  *) exit 1 ;;\nesac`;
}

const list = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 2);
const pod = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: name } } });
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
const policy = (ns: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

// The setup's fault, as the API server stores it.
const frontendEgress = policy('shop', 'frontend-egress', {
  podSelector: { matchLabels: { app: 'frontend' } },
  policyTypes: ['Egress'],
  egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
});
const defaultDeny = policy('shop', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const kubeDns = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

describe('preflight: the deny-all must select target', () => {
  const check = task('preflight').check;
  const run = (policies: unknown[], probeCode: string) =>
    runOnFakeNode(check, {
      kubectl: kubectl([
        ['*"get networkpolicy -o json"', list(policies)],
        ['*"get pod target -o json"', JSON.stringify(pod('preflight', 'target'))],
        ['*"get pod target -o jsonpath"*', '10.244.1.7'],
        ['*"exec target -- curl"*', 'target'],
        ['*"exec probe -- curl"*', probeCode],
      ]),
    });

  it("passes with the solution's policy on app=target, probe refused", () => {
    const r = run([policy('preflight', 'deny-target', { podSelector: { matchLabels: { app: 'target' } }, policyTypes: ['Ingress'] })], '000');
    expect(r.status, r.stdout).toBe(0);
  });

  it('passes with target selected by matchExpressions In (right variant match-expressions)', () => {
    const spec = { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['target'] }] }, policyTypes: ['Ingress'] };
    const r = run([policy('preflight', 'deny-target', spec)], '000');
    expect(r.status, r.stdout).toBe(0);
  });

  it("rejects a deny-all on probe (Ingress and Egress): probe's curl fails but target is not protected (near miss deny-probe-instead)", () => {
    const spec = { podSelector: { matchLabels: { app: 'probe' } }, policyTypes: ['Ingress', 'Egress'] };
    const r = run([policy('preflight', 'deny-target', spec)], '000');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: no deny-all ingress policy in preflight selects pod target');
    expect(r.stdout).toContain('deny-target selects {\\"matchLabels\\":{\\"app\\":\\"probe\\"}}');
  });

  it('rejects a deny-all whose matchExpressions excludes target (NotIn)', () => {
    const spec = { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['target'] }] }, policyTypes: ['Ingress', 'Egress'] };
    const r = run([policy('preflight', 'deny-target', spec)], '000');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('selects pod target');
  });
});

describe('default-deny: egress stays as it is', () => {
  const check = task('default-deny').check;
  const run = (policies: unknown[]) =>
    runOnFakeNode(check, {
      kubectl: kubectl([
        ['*"get networkpolicy -o json"', list(policies)],
        ['*"get pods -o json"', list([pod('shop', 'frontend'), pod('shop', 'backend'), pod('shop', 'batch')])],
        ['*"get service backend"*', '10.96.44.12'],
        ['*"exec intruder -- curl"*', '000'],
      ]),
    });

  it("passes with the solution's ingress-only default-deny next to frontend-egress", () => {
    const r = run([frontendEgress, defaultDeny]);
    expect(r.status, r.stdout).toBe(0);
  });

  it("rejects the documentation's deny-all with policyTypes [Ingress, Egress] (near miss deny-all-both-directions)", () => {
    const both = policy('shop', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const r = run([frontendEgress, both]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: a policy in shop now restricts egress too');
    expect(r.stdout).toContain('default-deny-ingress restricts the egress of backend');
  });

  it('still accepts an extra Egress policy that allows everything (egress unchanged)', () => {
    const open = policy('shop', 'all-out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const r = run([frontendEgress, defaultDeny, open]);
    expect(r.status, r.stdout).toBe(0);
  });
});

describe('allow-list: any pod in monitoring, not only prometheus', () => {
  const check = task('allow-list').check;
  const run = (policies: unknown[]) =>
    runOnFakeNode(check, {
      kubectl: kubectl([
        ['*"get service backend"*', '10.96.44.12'],
        // The connectivity matrix as the enforced policies answer it: the same for every case below.
        ['*"exec frontend -- curl"*', '200'],
        ['*"exec prometheus -- curl"*', '200'],
        ['*"exec batch -- curl"*', '000'],
        ['*"exec intruder -- curl"*', '000'],
        ['*"get pod backend -o json"', JSON.stringify(pod('shop', 'backend'))],
        ['*"get namespace monitoring -o json"', JSON.stringify(namespace('monitoring'))],
        ['*"get networkpolicy -o json"', list(policies)],
      ]),
    });
  const backendAllow = (from: unknown[], ports: unknown[] = [{ protocol: 'TCP', port: 8080 }]) =>
    policy('shop', 'backend-allow', { podSelector: { matchLabels: { app: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from, ports }] });
  const monitoringNs = { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } };

  it("passes with the solution's two peers", () => {
    const r = run([frontendEgress, defaultDeny, backendAllow([{ podSelector: { matchLabels: { app: 'frontend' } } }, { namespaceSelector: monitoringNs }])]);
    expect(r.status, r.stdout).toBe(0);
  });

  it('passes with one policy per source, matchExpressions on the namespace, a port without protocol (right variant two-policies)', () => {
    const fromFrontend = policy('shop', 'backend-from-frontend', {
      podSelector: { matchLabels: { app: 'backend' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    const fromMonitoring = policy('shop', 'backend-from-monitoring', {
      podSelector: { matchLabels: { app: 'backend' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring'] }] } }],
          ports: [{ protocol: 'TCP', port: 8080 }], // the API server defaults the protocol
        },
      ],
    });
    const r = run([frontendEgress, defaultDeny, fromFrontend, fromMonitoring]);
    expect(r.status, r.stdout).toBe(0);
  });

  it('rejects monitoring narrowed to app=prometheus in the same peer (near miss prometheus-only)', () => {
    const narrowed = backendAllow([
      { podSelector: { matchLabels: { app: 'frontend' } } },
      { namespaceSelector: monitoringNs, podSelector: { matchLabels: { app: 'prometheus' } } },
    ]);
    const r = run([frontendEgress, defaultDeny, narrowed]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: prometheus gets in, but no rule lets every pod in namespace monitoring reach backend');
  });

  it('rejects a monitoring rule on another port, even if the matrix is green through some other rule', () => {
    const wrongPort = backendAllow([{ namespaceSelector: monitoringNs }], [{ protocol: 'TCP', port: 80 }]);
    const viaLabel = policy('shop', 'prometheus', {
      podSelector: { matchLabels: { app: 'backend' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: monitoringNs, podSelector: { matchLabels: { app: 'prometheus' } } },
            { podSelector: { matchLabels: { app: 'frontend' } } },
          ],
        },
      ],
    });
    const r = run([frontendEgress, defaultDeny, wrongPort, viaLabel]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no rule lets every pod in namespace monitoring');
  });
});

describe('egress-dns: DNS to the CoreDNS pods, not to every destination', () => {
  const check = task('egress-dns').check;
  const run = (egressPolicy: unknown) =>
    runOnFakeNode(check, {
      kubectl: kubectl([
        ['*"get networkpolicy frontend-egress"', 'NAME              POD-SELECTOR   AGE\nfrontend-egress   app=frontend   12m'],
        ['*"exec frontend -- curl -s -m 3 http://backend:8080/hostname"', 'backend'],
        ['*"get pod frontend -o json"', JSON.stringify(pod('shop', 'frontend'))],
        ['*"get networkpolicy -o json"', list([egressPolicy, defaultDeny])],
      ]),
    });
  const withRule = (rule: unknown) => ({
    ...frontendEgress,
    spec: { ...frontendEgress.spec, egress: [...(frontendEgress.spec.egress as unknown[]), rule] },
  });

  it("passes with the solution's rule to kube-dns pods in kube-system", () => {
    const r = run(withRule(kubeDns));
    expect(r.status, r.stdout).toBe(0);
  });

  it("rejects UDP and TCP 53 with no 'to' (near miss dns-to-anywhere)", () => {
    const r = run(withRule({ ports: kubeDns.ports }));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: names resolve, but frontend may now open connections to any address');
    expect(r.stdout).toContain('frontend-egress allows UDP/53,TCP/53 to every destination');
  });

  it('rejects DNS to ipBlock 0.0.0.0/0', () => {
    const r = run(withRule({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: kubeDns.ports }));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('to every destination');
  });

  it('accepts kube-dns pods picked in every namespace (namespaceSelector {} with a podSelector)', () => {
    const r = run(withRule({ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: kubeDns.ports }));
    expect(r.status, r.stdout).toBe(0);
  });
});
