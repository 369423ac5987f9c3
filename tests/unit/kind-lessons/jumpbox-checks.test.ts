// Jumpbox checks of the kind lessons run against a scripted kubectl: each test gives kubectl the answers a real
// cluster would give in one situation (a near miss or the real fix) and asserts the check's verdict. These are the
// facts the review of issue #16 found wrong; each test fails on the check as it was before the fix.
import { describe, expect, it } from 'vitest';
import { loadChallenge } from './kind-lesson-files.ts';
import { runOnFakeNode } from './fake-node.ts';

function task(lesson: string, id: string) {
  const t = loadChallenge(lesson).tasks.find((x) => x.id === id);
  if (!t) throw new Error(`${lesson} has no task ${id}`);
  return t;
}

describe('CoreDNS, ndots: the pod must keep the cluster DNS', () => {
  const lesson = 'content/04-dns-and-policy/02-coredns';
  const check = task(lesson, 'ndots').check;
  const kubectl = (resolvConf: string) => String.raw`case "$*" in
  *"get deployment app"*dnsConfig*) printf 'ndots=1 ' ;;
  *"exec deploy/app -- cat /etc/resolv.conf"*) printf '%s\n' ${resolvConf} ;;
esac`;

  it('passes when resolv.conf has ndots:1, the kube-dns ClusterIP and the namespace search list', () => {
    const r = runOnFakeNode(check, { kubectl: kubectl(`'search shop.svc.cluster.local svc.cluster.local cluster.local' 'nameserver 10.96.0.10' 'options ndots:1'`) });
    expect(r.status, r.stdout).toBe(0);
  });

  it('fails when dnsPolicy None points the pod at another nameserver, even with ndots:1', () => {
    const r = runOnFakeNode(check, { kubectl: kubectl(`'nameserver 172.18.0.1' 'options ndots:1'`) });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no longer uses the cluster DNS');
  });

  it('fails when the nameserver is right but the search list is gone', () => {
    const r = runOnFakeNode(check, { kubectl: kubectl(`'nameserver 10.96.0.10' 'options ndots:1'`) });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('search list');
  });
});
