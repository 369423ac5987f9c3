// Found-answer checks of the kind lessons, run against fake node tools that print what the real ones print on a
// kind node (formats from iproute2, crictl, iptables-save and nft). The right answer must pass, a wrong or missing
// one must fail with a FAIL line: this is the parsing a cluster would otherwise be the first to exercise.
import { describe, expect, it } from 'vitest';
import { challengeTask, loadChallenge, withoutQuotedText } from './kind-lesson-files.ts';
import { crictlWithSandbox, runOnFakeNode } from './fake-node.ts';

const check = (lesson: string, taskId: string) => challengeTask(lesson, taskId).check;

const NETNS = '/var/run/netns/cni-0b5c9d1e-1111-2222-3333-444455556666';

// A worker with two pods (web at 10.244.1.5 on veth1a2b3c4d, another on veth3f2a9c1b) and the ptp gateway on both.
const worker = {
  crictl: crictlWithSandbox({ app: 'web', id: '7f3e9a0c5d1b2a4e', ip: '10.244.1.5', pid: 4242, netns: NETNS }),
  nsenter: String.raw`case "$*" in
  *"ip -o link show eth0"*) echo '2: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 6a:51:0e:77:12:9b brd ff:ff:ff:ff:ff:ff link-netnsid 0' ;;
  *"ip -4 route show default"*) echo 'default via 10.244.1.1 dev eth0' ;;
esac`,
  ip: String.raw`case "$*" in
  "-o link show") cat <<'EOF'
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: veth3f2a9c1b@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 1e:2b:44:90:aa:01 brd ff:ff:ff:ff:ff:ff link-netns cni-aaaaaaaa-0000-0000-0000-000000000000
9: veth1a2b3c4d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 22:6c:51:3d:0f:7e brd ff:ff:ff:ff:ff:ff link-netns cni-0b5c9d1e-1111-2222-3333-444455556666
12: eth0@if13: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \    link/ether 02:42:ac:12:00:03 brd ff:ff:ff:ff:ff:ff link-netnsid 0
EOF
  ;;
  "-4 -o addr show") cat <<'EOF'
1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
2: veth3f2a9c1b    inet 10.244.1.1/32 scope global veth3f2a9c1b\       valid_lft forever preferred_lft forever
9: veth1a2b3c4d    inet 10.244.1.1/32 scope global veth1a2b3c4d\       valid_lft forever preferred_lft forever
12: eth0    inet 172.18.0.3/16 brd 172.18.255.255 scope global eth0\       valid_lft forever preferred_lft forever
EOF
  ;;
esac`,
};

describe("a pod's plumbing: found answers on the worker", () => {
  const lesson = 'content/01-pods/03-a-pods-plumbing-in-kind';

  it("find-netns accepts the namespace name or its path, and rejects another pod's", () => {
    expect(runOnFakeNode(check(lesson, 'find-netns'), worker, { netns: 'cni-0b5c9d1e-1111-2222-3333-444455556666\n' }).status).toBe(0);
    expect(runOnFakeNode(check(lesson, 'find-netns'), worker, { netns: `${NETNS}\n` }).status).toBe(0);
    const wrong = runOnFakeNode(check(lesson, 'find-netns'), worker, { netns: 'cni-aaaaaaaa-0000-0000-0000-000000000000' });
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/^FAIL: /m);
    expect(runOnFakeNode(check(lesson, 'find-netns'), worker).stdout).toContain('missing or empty');
  });

  it('host-veth follows eth0@if9 to interface 9 on the node', () => {
    expect(runOnFakeNode(check(lesson, 'host-veth'), worker, { veth: 'veth1a2b3c4d' }).status).toBe(0);
    expect(runOnFakeNode(check(lesson, 'host-veth'), worker, { veth: 'veth1a2b3c4d@if2' }).status).toBe(0);
    const other = runOnFakeNode(check(lesson, 'host-veth'), worker, { veth: 'veth3f2a9c1b' });
    expect(other.status).toBe(1);
    expect(other.stdout).toContain('is not the peer');
  });

  it('gateway-count counts every interface holding the gateway as a /32', () => {
    expect(runOnFakeNode(check(lesson, 'gateway-count'), worker, { 'gateway-count': '2\n' }).status).toBe(0);
    expect(runOnFakeNode(check(lesson, 'gateway-count'), worker, { 'gateway-count': '1' }).status).toBe(1);
    expect(runOnFakeNode(check(lesson, 'gateway-count'), worker, { 'gateway-count': 'two' }).stdout).toContain('plain number');
  });
});

const NAT_WEB = String.raw`*nat
:PREROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-LOLE4ISW44XBNF3G - [0:0]
:KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]
:KUBE-SEP-BBBBBBBBBBBBBBBB - [0:0]
:KUBE-SEP-CCCCCCCCCCCCCCCC - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
-A KUBE-SERVICES -d 10.96.45.6/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-LOLE4ISW44XBNF3G
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-LOLE4ISW44XBNF3G ! -s 10.244.0.0/16 -d 10.96.45.6/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.4:8080" -m recent --name KUBE-SEP-AAAAAAAAAAAAAAAA --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j KUBE-SEP-AAAAAAAAAAAAAAAA
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.7:8080" -m recent --name KUBE-SEP-BBBBBBBBBBBBBBBB --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j KUBE-SEP-BBBBBBBBBBBBBBBB
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.9:8080" -m recent --name KUBE-SEP-CCCCCCCCCCCCCCCC --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j KUBE-SEP-CCCCCCCCCCCCCCCC
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.1.4:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-AAAAAAAAAAAAAAAA
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.7:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-BBBBBBBBBBBBBBBB
-A KUBE-SVC-LOLE4ISW44XBNF3G -m comment --comment "default/web -> 10.244.2.9:8080" -j KUBE-SEP-CCCCCCCCCCCCCCCC
-A KUBE-SEP-AAAAAAAAAAAAAAAA -s 10.244.1.4/32 -m comment --comment "default/web" -j KUBE-MARK-MASQ
-A KUBE-SEP-AAAAAAAAAAAAAAAA -p tcp -m comment --comment "default/web" -m recent --set --name KUBE-SEP-AAAAAAAAAAAAAAAA --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.1.4:8080
COMMIT`;

describe('Services and kube-proxy: walking the chains', () => {
  const lesson = 'content/03-services/02-services-and-kube-proxy';
  const tools = { kubectl: 'echo 10.96.45.6', 'iptables-save': `cat <<'EOF'\n${NAT_WEB}\nEOF` };

  it('takes the chain the ClusterIP rule jumps to and counts distinct endpoint chains, affinity or not', () => {
    expect(runOnFakeNode(check(lesson, 'walk-chain'), tools, { 'svc-chain': 'KUBE-SVC-LOLE4ISW44XBNF3G', 'sep-count': '3' }).status).toBe(0);
    const rules = runOnFakeNode(check(lesson, 'walk-chain'), tools, { 'svc-chain': 'KUBE-SVC-LOLE4ISW44XBNF3G', 'sep-count': '6' });
    expect(rules.status).toBe(1);
    expect(rules.stdout).toContain('distinct');
    expect(runOnFakeNode(check(lesson, 'walk-chain'), tools, { 'svc-chain': 'KUBE-SVC-NPX46M4PTMTKRN6Y', 'sep-count': '3' }).status).toBe(1);
  });
});

const NAT_BULK = String.raw`*nat
-A KUBE-SERVICES -d 10.96.7.8/32 -p tcp -m comment --comment "default/bulk cluster IP" -m tcp --dport 80 -j KUBE-SVC-QQQQQQQQQQQQQQQQ
-A KUBE-SVC-QQQQQQQQQQQQQQQQ ! -s 10.244.0.0/16 -d 10.96.7.8/32 -p tcp -m comment --comment "default/bulk cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-QQQQQQQQQQQQQQQQ -m comment --comment "default/bulk -> 10.244.1.2:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-XXXXXXXXXXXXXXXX
-A KUBE-SVC-QQQQQQQQQQQQQQQQ -m comment --comment "default/bulk -> 10.244.2.3:8080" -j KUBE-SEP-YYYYYYYYYYYYYYYY
-A KUBE-SEP-XXXXXXXXXXXXXXXX -s 10.244.1.2/32 -m comment --comment "default/bulk" -j KUBE-MARK-MASQ
-A KUBE-SEP-XXXXXXXXXXXXXXXX -p tcp -m comment --comment "default/bulk" -m tcp -j DNAT --to-destination 10.244.1.2:8080
-A KUBE-SEP-YYYYYYYYYYYYYYYY -s 10.244.2.3/32 -m comment --comment "default/bulk" -j KUBE-MARK-MASQ
-A KUBE-SEP-YYYYYYYYYYYYYYYY -p tcp -m comment --comment "default/bulk" -m tcp -j DNAT --to-destination 10.244.2.3:8080
COMMIT`;

const NFT_CHAINS = String.raw`table ip kube-proxy {
	chain filter-prerouting {
		type filter hook prerouting priority dstnat - 10; policy accept;
	}
	chain services {
	}
	chain service-4BQXR5DS-default/bulk/tcp/ {
	}
	chain endpoint-7L3KQ2ZD-default/bulk/tcp/__10.244.2.3/8080 {
	}
	chain endpoint-M3OD3TRH-default/bulk/tcp/__10.244.2.9/8080 {
	}
	chain service-NPX46M4P-default/kubernetes/tcp/https {
	}
}`;

describe('Dataplanes: counting rules and chains', () => {
  const lesson = 'content/05-edge-and-dataplane/02-dataplanes';

  it('iptables-count is 3n + 2 for a ClusterIP Service with n endpoints', () => {
    const tools = { 'iptables-save': `cat <<'EOF'\n${NAT_BULK}\nEOF` };
    expect(runOnFakeNode(check(lesson, 'iptables-count'), tools, { 'iptables-rules': '8' }).status).toBe(0);
    const wrong = runOnFakeNode(check(lesson, 'iptables-count'), tools, { 'iptables-rules': '6' });
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('2 endpoints');
  });

  it("nft-count counts bulk's service and endpoint chains only", () => {
    const tools = { nft: `cat <<'EOF'\n${NFT_CHAINS}\nEOF` };
    expect(runOnFakeNode(check(lesson, 'nft-count'), tools, { 'nft-chains': '3' }).status).toBe(0);
    expect(runOnFakeNode(check(lesson, 'nft-count'), tools, { 'nft-chains': '4' }).status).toBe(1);
  });
});

describe("NetworkPolicy: the enforcer's table", () => {
  const lesson = 'content/04-dns-and-policy/04-network-policy';
  // What kindnetd (kind v0.33) programs: kube-network-policies embedded with NFTableName "kindnet-network-policies"
  // and QueueID 101 (images/kindnetd/cmd/kindnetd/main.go), chains as in kube-network-policies pkg/dataplane/controller.go.
  const nft = String.raw`case "$*" in
  "list tables") printf 'table ip mangle\ntable ip nat\ntable ip filter\ntable inet kindnet-network-policies\n' ;;
  "list table inet kindnet-network-policies") printf '%s\n' 'table inet kindnet-network-policies {' \
    '	set podips-v4 {' '		type ipv4_addr' '		elements = { 10.244.1.4 }' '	}' \
    '	chain postrouting {' '		type filter hook postrouting priority srcnat - 5; policy accept;' \
    '		udp dport 53 accept' '		ct state established,related accept' '		ip saddr @podips-v4 queue flags bypass to 101' '	}' \
    '	chain input {' '		type filter hook input priority srcnat + 1; policy accept;' '		iifname "lo" accept' '	}' \
    '	chain prerouting {' '		type filter hook prerouting priority dstnat + 5; policy accept;' \
    '		meta l4proto != udp accept' '		udp dport != 53 accept' '		ip saddr @podips-v4 queue flags bypass to 101' '	}' '}' ;;
  "list table"*) printf 'table %s {\n}\n' "$3" ;;
esac`;

  it('finds the table whose rules queue packets, with or without the word "table"', () => {
    expect(runOnFakeNode(check(lesson, 'enforcer-table'), { nft }, { 'np-table': 'inet kindnet-network-policies' }).status).toBe(0);
    expect(runOnFakeNode(check(lesson, 'enforcer-table'), { nft }, { 'np-table': 'table inet kindnet-network-policies' }).status).toBe(0);
    expect(runOnFakeNode(check(lesson, 'enforcer-table'), { nft }, { 'np-table': 'ip filter' }).status).toBe(1);
  });

  it('rejects the standalone kube-network-policies name, which kindnet does not use', () => {
    const r = runOnFakeNode(check(lesson, 'enforcer-table'), { nft }, { 'np-table': 'inet kube-network-policies' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL');
  });

  it('passes with the answer the last hint writes', () => {
    const task = loadChallenge(lesson).tasks.find((t) => t.id === 'enforcer-table')!;
    const written = /echo "([^"]+)" > ~\/answers\/np-table/.exec(task.hints.at(-1)!)?.[1];
    expect(written, 'the last hint writes the answer file').toBeTruthy();
    expect(runOnFakeNode(check(lesson, 'enforcer-table'), { nft }, { 'np-table': written! }).status).toBe(0);
  });
});

describe('kindnet and CNI: the route to worker2, without reading Node objects', () => {
  const lesson = 'content/02-between-nodes/04-kindnet-and-cni';
  // Since Kubernetes 1.32 a kubelet may read only its own Node, so the check must not need the API at all.
  const tools = {
    hostname: 'echo pw-abc-worker',
    getent: '[ "$*" = "ahostsv4 pw-abc-worker2" ] && printf "172.18.0.4      STREAM pw-abc-worker2\\n172.18.0.4      DGRAM\\n"',
    ip: String.raw`case "$*" in
  "-4 route show") printf 'default via 172.18.0.1 dev eth0\n10.244.0.0/24 via 172.18.0.3 dev eth0\n10.244.1.2 dev veth1a2b3c4d scope host\n10.244.2.0/24 via 172.18.0.4 dev eth0\n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2\n' ;;
esac`,
    kubectl: 'echo "Error from server (Forbidden): nodes is forbidden: User \\"system:node:pw-abc-worker\\" cannot list resource \\"nodes\\"" >&2; exit 1',
  };

  it("accepts worker2's podCIDR via its node address while the API forbids listing nodes", () => {
    const r = runOnFakeNode(check(lesson, 'cross-node-route'), tools, { route: '10.244.2.0/24 via 172.18.0.4' });
    expect(r.status, r.stdout).toBe(0);
  });

  it("rejects the control plane's route and a wrong next hop", () => {
    expect(runOnFakeNode(check(lesson, 'cross-node-route'), tools, { route: '10.244.0.0/24 via 172.18.0.3' }).status).toBe(1);
    expect(runOnFakeNode(check(lesson, 'cross-node-route'), tools, { route: '10.244.2.0/24 via 172.18.0.3' }).status).toBe(1);
  });

  it('never calls kubectl, in the check or in the solution', () => {
    const task = loadChallenge(lesson).tasks.find((t) => t.id === 'cross-node-route')!;
    // Messages may suggest kubectl on the jumpbox; only a command in the script itself would hit the node authorizer.
    expect(withoutQuotedText(task.check)).not.toMatch(/\bkubectl\b/);
    expect(withoutQuotedText(task.solution.script)).not.toMatch(/\bkubectl\b/);
  });
});
