// node1/node2 on a kind lab: a packetwalk/node toolbox joined to a node's network namespace, against the real
// Docker engine. The node is the stand-in image (NOT a kind node): what is tested is the namespace plumbing —
// the toolbox sees and changes exactly the node's interfaces, routes, iptables and sysctls, with its own tools
// and its own mount namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Labels } from '../../../lab-runner/labels.ts';
import type { ContainerRuntime } from '../../../lab-runner/runtime/container-runtime.ts';
import { pauseCluster, resumeCluster } from '../../../lab-runner/kind/cluster-pause.ts';
import { teardownCluster } from '../../../lab-runner/kind/cluster-teardown.ts';
import { parseKindConfig } from '../../../course/sandbox/kind/kind-config-schema.ts';
import { SYSTEMD_READY } from '../../../lab-runner/kind/kind-provisioner.ts';
import { chooseNetwork, kindNetworkSpec } from '../../../lab-runner/kind/kind-network.ts';
import { nodeContainerSpec } from '../../../lab-runner/kind/node-container-spec.ts';
import { runOnNode, type NodeExecContext, type NodeRef } from '../../../lab-runner/kind/node-exec.ts';
import { planNodes } from '../../../course/sandbox/kind/node-plan.ts';
import { startToolbox, TOOLBOX_IMAGE, toolboxContainerSpec, type StartedToolbox } from '../../../lab-runner/kind/node-toolbox.ts';
import { runtime, standinImage, testLab } from './standin.ts';
import { NODE_CAPABILITIES } from '../../../lab-runner/nodes/node-container-spec.ts';

describe("kind toolbox in a node's network namespace (stand-in node, not a kind test)", () => {
  let rt: ContainerRuntime;
  let ctx: NodeExecContext;
  const { labId, labels } = testLab('kind-tb');
  const clusterName = `pw-tb-${process.pid}`;
  const nodes: Record<string, NodeRef & { suffix: string; ipv4: string }> = {};
  let toolbox: StartedToolbox;
  let defaultRoute = '';
  const inWorker = (script: string) => runOnNode(ctx, nodes.worker!, 'test', ['sh', '-c', script]);
  const inToolbox = (script: string) => runOnNode(ctx, toolbox, 'test', ['sh', '-c', script], { timeoutMs: 20_000 });

  beforeAll(async () => {
    rt = runtime();
    ctx = { runtime: rt, privileged: false };
    if (!(await rt.inspectImage(TOOLBOX_IMAGE))) throw new Error(`${TOOLBOX_IMAGE} is missing; run "npm run images"`);
    const image = await standinImage(rt);
    const net = await rt.createNetwork(
      kindNetworkSpec({ choice: chooseNetwork('per-cluster', clusterName, {}), clusterName, labLabels: labels, internal: true }),
    );
    const cfg = parseKindConfig('kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: control-plane}, {role: worker}]\n', 'k.yaml');
    await Promise.all(
      planNodes(clusterName, cfg, image).map(async (p) => {
        const spec = nodeContainerSpec(p, {
          clusterName,
          network: net.name,
          labLabels: labels,
          proxyEnv: {},
          apiServerAddress: '127.0.0.1',
          apiServerHostPort: '',
          privileged: false,
          mountHostModules: false,
        });
        // A kind node is privileged; this host refuses that, so the stand-in gets NET_ADMIN to play its part
        // (iptables rules to write and read).
        const { id } = await rt.createContainer({ ...spec, capAdd: ['NET_ADMIN'] });
        await rt.startContainer(id);
        await rt.waitForLog(id, SYSTEMD_READY, 30_000);
        const info = await rt.inspectContainer(id);
        nodes[p.suffix] = { id, name: p.name, suffix: p.suffix, ipv4: info!.ipv4[net.name]! };
      }),
    );
    // The iptables backend kind's entrypoint would have chosen for this host (legacy here, so the sync is observable).
    await inWorker(
      'update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null && update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null',
    );
    defaultRoute = (await inWorker('ip route show default')).stdout.trim();
    const spec = toolboxContainerSpec({ clusterName, node: nodes.worker!, target: 'node1', labLabels: labels });
    toolbox = await startToolbox({ runtime: rt, nodeCtx: ctx, spec, node: nodes.worker!, step: 'test' });
  }, 120_000);

  afterAll(async () => {
    await teardownCluster(rt, { labId, clusterName });
  });

  it("sees exactly the worker's interfaces: same eth0 address and MAC", async () => {
    const show = 'ip -o link show eth0 | grep -o "link/ether [0-9a-f:]*"; ip -o -4 addr show eth0 | awk \'{print $4}\'';
    const [w, t] = await Promise.all([inWorker(show), inToolbox(show)]);
    expect(t.stdout).toBe(w.stdout);
    expect(t.stdout).toContain(`${nodes.worker!.ipv4}/`);
    // The worker's hostname, /etc/hosts and resolv.conf come with its network namespace.
    expect((await inToolbox('hostname')).stdout.trim()).toBe(`${clusterName}-worker`);
  });

  it("keeps the worker's default route (packetwalk-init removes it only in bare-node labs without egress)", async () => {
    expect(defaultRoute).toMatch(/^default via \S+ dev eth0/);
    expect((await inWorker('ip route show default')).stdout.trim()).toBe(defaultRoute);
  });

  it("routes, sysctls and iptables set in the toolbox are the worker's", async () => {
    await inToolbox('ip route add 10.123.0.0/16 dev eth0');
    expect((await inWorker('ip route show 10.123.0.0/16')).stdout).toContain('10.123.0.0/16 dev eth0');

    const before = (await inWorker('cat /proc/sys/net/ipv4/ip_forward')).stdout.trim();
    const wanted = before === '1' ? '0' : '1';
    await inToolbox(`sysctl -qw net.ipv4.ip_forward=${wanted}`);
    expect((await inWorker('cat /proc/sys/net/ipv4/ip_forward')).stdout.trim()).toBe(wanted);

    // Same backend as the worker (legacy here), so the worker's rules and the toolbox's are one table.
    expect((await inToolbox('iptables -V')).stdout).toContain('legacy');
    expect(toolbox.iptables).toBe('legacy');
    await inWorker('iptables -t nat -N KIND-MASQ-AGENT && iptables -t nat -A KIND-MASQ-AGENT -d 10.244.0.0/16 -j RETURN');
    expect((await inToolbox('iptables -t nat -S KIND-MASQ-AGENT')).stdout).toContain('-A KIND-MASQ-AGENT -d 10.244.0.0/16 -j RETURN');
  });

  it("has the tools the kind node lacks, and captures the worker's own traffic", async () => {
    expect(
      (await inToolbox('for t in ping dig jq tcpdump dnsmasq traceroute conntrack; do command -v "$t" >/dev/null || echo "missing $t"; done')).stdout,
    ).toBe('');
    const cp = nodes['control-plane']!.ipv4;
    const r = await inToolbox(`(tcpdump -c 1 -n -i eth0 icmp 2>/dev/null > /tmp/cap &) ; sleep 1; ping -c 2 -W 1 ${cp} >/dev/null; sleep 1; cat /tmp/cap`);
    expect(r.stdout).toContain(`${nodes.worker!.ipv4} > ${cp}: ICMP echo request`);
  });

  it("builds namespaces by hand in the worker's network, but the names live in the toolbox's mount namespace", async () => {
    await inToolbox('ip netns add pod1 && ip link add veth-pod1 type veth peer name eth0 netns pod1 && ip netns exec pod1 ip link set lo up');
    // The veth is the worker's (one network namespace)…
    expect((await inWorker('ip -o link show veth-pod1')).stdout).toContain('veth-pod1@');
    // …the name "pod1" is a bind mount only the toolbox sees (the trade-off in docs/kind.md).
    expect((await inToolbox('ip netns list')).stdout).toContain('pod1');
    expect((await inWorker('ip netns list 2>/dev/null; ls /var/run/netns 2>/dev/null; true')).stdout).not.toContain('pod1');
  });

  it('runs without privileges: the bounding set is the bare-node set and nothing more', async () => {
    const bnd = (await inToolbox('grep CapBnd /proc/self/status')).stdout.split(/\s+/)[1]!;
    // Capability numbers from linux/capability.h; the expected set is exactly the bare nodes' set.
    const bit: Record<string, bigint> = {
      CHOWN: 0n,
      DAC_OVERRIDE: 1n,
      FOWNER: 3n,
      KILL: 5n,
      SETGID: 6n,
      SETUID: 7n,
      NET_BIND_SERVICE: 10n,
      NET_ADMIN: 12n,
      NET_RAW: 13n,
      SYS_ADMIN: 21n,
    };
    const expected = NODE_CAPABILITIES.reduce((m, c) => {
      if (bit[c] === undefined) throw new Error(`capability ${c} has no bit in this test's table`);
      return m | (1n << bit[c]);
    }, 0n);
    expect(BigInt(`0x${bnd}`)).toBe(expected);
  });

  it('tcpdump drops to its own user and writes a capture file, as on a bare node', async () => {
    const r = await inToolbox('timeout 2 tcpdump -c 1 -i lo -w /tmp/cap.pcap 2>&1; stat -c %U /tmp/cap.pcap');
    expect(r.stdout.trim().split('\n').pop()).toBe('tcpdump');
  });

  it('pauses, resumes and is torn down with the lab (found by its lab label, never by kind)', async () => {
    const mine = async () => (await rt.listContainers({ [Labels.labId]: labId })).map((c) => [c.name, c.state]);
    expect(await rt.listContainers({ 'io.x-k8s.kind.cluster': clusterName })).toHaveLength(2);
    await pauseCluster(rt, labId);
    expect(await mine()).toContainEqual([`${clusterName}-node1-toolbox`, 'paused']);
    await resumeCluster(rt, labId);
    expect(await mine()).toContainEqual([`${clusterName}-node1-toolbox`, 'running']);
    expect((await inToolbox('ip -o -4 addr show eth0')).stdout).toContain(nodes.worker!.ipv4);
    expect(await teardownCluster(rt, { labId, clusterName })).toEqual({ containers: 3, networks: 1 });
    expect(await rt.listContainers({ [Labels.labId]: labId })).toEqual([]);
  });
});
