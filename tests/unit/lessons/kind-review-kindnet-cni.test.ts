// Adversarial review of "kindnet and CNI in a real cluster", task install-kindnet: the check asked only that kindnet
// runs ready on three nodes and every node is Ready, which also holds when the placeholder is filled with a wrong
// range (kindnetd uses POD_SUBNET only for its masquerade exceptions, images/kindnetd/cmd/kindnetd/main.go in kind).
// The scripted kubectl prints what a kind v0.33 cluster on Kubernetes 1.37 prints for the check's reads.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { FAKE_CLOCK, runOnFakeNode } from './fake-node.ts';

const LESSON = 'content/02-between-nodes/04-kindnet-and-cni';

// kubeadm's ClusterConfiguration as uploaded to kube-system/kubeadm-config (v1beta4, kind's networking section).
const CLUSTER_CONFIGURATION = `apiServer:
  certSANs:
  - localhost
  - 127.0.0.1
apiVersion: kubeadm.k8s.io/v1beta4
certificatesDir: /etc/kubernetes/pki
clusterName: kind
controlPlaneEndpoint: kind-control-plane:6443
dns: {}
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: v1.37.0
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/16
proxy: {}
scheduler: {}
`;

/** A cluster where kindnet runs ready on all three nodes with POD_SUBNET set to `podSubnet`. */
function kubectl(podSubnet: string): string {
  return String.raw`case "$*" in
  *"get configmap kubeadm-config"*ClusterConfiguration*) cat <<'EOF'
${CLUSTER_CONFIGURATION}EOF
  ;;
  *"get daemonset kindnet -o jsonpath"*POD_SUBNET*) printf '%s\n' '${podSubnet}' ;;
  *"get daemonset kindnet -o jsonpath"*numberReady*) printf '3/3' ;;
  *"get daemonset kindnet"*) printf 'NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\nkindnet   3         3         3       3            3           kubernetes.io/os=linux   40s\n' ;;
  *"get nodes --no-headers"*) printf 'kind-control-plane   Ready   control-plane   6m    v1.37.0\nkind-worker          Ready   <none>          6m    v1.37.0\nkind-worker2         Ready   <none>          6m    v1.37.0\n' ;;
  *) exit 1 ;;
esac`;
}

const task = (id: string) => challengeTask(LESSON, id);

/** The range a script substitutes for the placeholder (sed 's|{{ .PodSubnet }}|X|g'), quotes stripped as YAML does. */
function filledWith(script: string): string {
  const m = /s\|\{\{ \.PodSubnet \}\}\|([^|]+)\|g/.exec(script);
  if (!m) throw new Error(`no placeholder substitution in:\n${script}`);
  return m[1]!.replace(/^"(.*)"$/, '$1');
}

describe('kindnet and CNI, install-kindnet: the placeholder holds the cluster pod range', () => {
  const check = task('install-kindnet').check;

  it("passes with the range the solution fills in (kubeadm's podSubnet)", () => {
    const r = runOnFakeNode(check, { kubectl: kubectl(filledWith(task('install-kindnet').solution.script)), ...FAKE_CLOCK });
    expect(r.status, r.stdout).toBe(0);
  });

  it('passes with the range quoted in the manifest (right: quoted-range)', () => {
    const right = task('install-kindnet').right.find((v) => v.id === 'quoted-range')!;
    const r = runOnFakeNode(check, { kubectl: kubectl(filledWith(right.script)), ...FAKE_CLOCK });
    expect(r.status, r.stdout).toBe(0);
  });

  it('rejects the service range, which sits next to podSubnet in kubeadm-config (wrong: service-range)', () => {
    const r = runOnFakeNode(check, { kubectl: kubectl('10.96.0.0/16'), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: kindnet's POD_SUBNET is 10.96.0.0/16, not this cluster's pod range");
    const verdict = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { observed: string; expected: string };
    expect(verdict).toMatchObject({ observed: 'POD_SUBNET=10.96.0.0/16', expected: 'POD_SUBNET=10.244.0.0/16' });
  });

  it("rejects one node's /24 instead of the cluster range (wrong: node-slice)", () => {
    const wrong = task('install-kindnet').wrong.find((v) => v.id === 'node-slice')!;
    const r = runOnFakeNode(check, { kubectl: kubectl(filledWith(wrong.script)), ...FAKE_CLOCK });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: kindnet's POD_SUBNET is 10.244.0.0/24");
  });
});
