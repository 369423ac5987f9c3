// Facts the kind lessons state that were checked against upstream source (issue #16). Each assertion fails on the
// text or manifest as it was before the fix; the upstream file behind each is named in the test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, loadChallenge } from './kind-lesson-files.ts';
import { runAgainstFakeCluster } from './fake-cluster.ts';

const page = (lesson: string) => readFileSync(path.join(REPO, lesson, 'index.mdx'), 'utf8');
const challengeText = (lesson: string) => readFileSync(path.join(REPO, lesson, 'challenge.yaml'), 'utf8');

describe('facts checked against upstream', () => {
  it('ingress: Traefik runs with strict prefix matching, so /apiary does not reach /api (traefik pkg/provider/kubernetes/ingress/kubernetes.go)', () => {
    const lesson = 'content/05-edge-and-dataplane/01-ingress-and-gateway-api';
    const run = runAgainstFakeCluster(loadChallenge(lesson).setup[0]!.script);
    expect(run.status, run.output).toBe(0);
    const traefik = run.docs.find((d) => d.kind === 'Deployment' && (d.metadata as { name?: string }).name === 'traefik') as
      { spec: { template: { spec: { containers: { args: string[] }[] } } } } | undefined;
    expect(traefik, 'setup applies the Traefik Deployment').toBeDefined();
    expect(traefik!.spec.template.spec.containers[0]!.args).toContain('--providers.kubernetesingress.strictPrefixMatching=true');
  });

  it('ingress: the Gateway API CRDs come from the pinned artefact, not from a file in the repository', () => {
    const lesson = 'content/05-edge-and-dataplane/01-ingress-and-gateway-api';
    expect(loadChallenge(lesson).setup[0]!.artefacts).toEqual(['gateway-api-standard']);
    expect(loadChallenge(lesson).setup[0]!.script).toContain('/opt/packetwalk/artefacts/gateway-api-v1.4.0-standard-install.yaml');
  });

  it('kindnet: conntrack is filtered on the original tuple (10.96.0.1:443), never on port 6443', () => {
    const text = page('content/02-between-nodes/04-kindnet-and-cni');
    expect(text).not.toMatch(/conntrack -L[^"\n]*--dport 6443/);
    expect(text).toMatch(/conntrack -L -p tcp -d 10\.96\.0\.1 --dport 443/);
  });

  it('pods-plumbing: web sends a packet before its neighbour table is read', () => {
    expect(page('content/01-pods/03-a-pods-plumbing-in-kind')).toMatch(/curl [^\n]*; ip neigh/);
  });

  it('endpointslices: no negative-cache delay (kubeadm Corefile disables cache for cluster.local, cmd/kubeadm/app/phases/addons/dns/manifests.go)', () => {
    const lesson = 'content/03-services/04-endpointslices-and-readiness';
    expect(page(lesson) + challengeText(lesson)).not.toMatch(/caches? (that|a) negative answer/);
  });

  it('coredns: hosts without fallthrough is SERVFAIL, an empty kube-dns is refused (coredns plugin/hosts/hosts.go, kube-proxy REJECT)', () => {
    const lesson = 'content/04-dns-and-policy/02-coredns';
    const all = page(lesson) + challengeText(lesson);
    expect(all).not.toMatch(/it answers NXDOMAIN for every name it does not know/);
    expect(all).toMatch(/SERVFAIL/);
    expect(all).not.toMatch(/this shows timeouts instead of NXDOMAINs/);
    expect(all).toMatch(/connection refused/);
  });

  it("network-policy: kindnet's table and queue are named as kindnetd configures them (kind images/kindnetd/cmd/kindnetd/main.go)", () => {
    const lesson = 'content/04-dns-and-policy/04-network-policy';
    const all = page(lesson) + challengeText(lesson);
    expect(all).toContain('inet kindnet-network-policies');
    expect(all).not.toMatch(/queue num 100/);
    expect(all).not.toMatch(/one base chain in the `postrouting` hook/);
  });
});
