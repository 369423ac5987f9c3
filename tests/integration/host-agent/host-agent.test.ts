// The host agent on a real Docker host: routed pod traffic now crosses a lab bridge, and still nothing leaves the lab -
// not to the host, not to another lab, not to another Docker network, over IPv4 or IPv6, even for a learner who
// aims packets at the bridge's own MAC address. Rules go with the lab (destroy) or with their bridge (reaper sweep).
// Traffic goes only to lab networks and a bridge network this file creates (and the host's address on it).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostAgent, hostAgentFor } from '../../../lab-runner/host-agent/host-agent.ts';
import { HOST_AGENT_NAME } from '../../../lab-runner/host-agent/host-agent-spec.ts';
import { newLabId } from '../../../lab-runner/lab/lab-id.ts';
import { teardownByLabel } from '../../../lab-runner/lab/teardown-by-label.ts';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { Labels, labLabels } from '../../../lab-runner/labels.ts';
import { intToIp, parseCidr } from '../../../lab-runner/nodes/ipv4-cidr.ts';
import { labBridgeName, labNetworkSpec } from '../../../lab-runner/nodes/lab-network-spec.ts';
import { NODE_CAPABILITIES } from '../../../lab-runner/nodes/node-container-spec.ts';
import { NodesProvisioner } from '../../../lab-runner/nodes/nodes-provisioner.ts';
import { SubnetAllocator } from '../../../lab-runner/nodes/subnet-allocator.ts';
import type { ContainerRuntime, NetworkInfo } from '../../../lab-runner/runtime/container-runtime.ts';
import type { NodesSandbox } from '../../../course/sandbox/nodes-sandbox-schema.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

const IMAGE = 'packetwalk/node:latest';
const TEST_LABEL = { 'io.packetwalk.test': 'host-agent' };

async function agentExec(runtime: ContainerRuntime, script: string): Promise<string> {
  const info = await runtime.inspectContainer(HOST_AGENT_NAME);
  if (!info) throw new Error('no host agent');
  const r = await runtime.exec(info.id, { cmd: ['bash', '-c', script] });
  if (r.exitCode !== 0) throw new Error(`agent: ${r.stderr}`);
  return r.stdout.trim();
}

async function startHelper(runtime: ContainerRuntime, name: string, network: string, script: string): Promise<string> {
  const { id } = await runtime.createContainer({
    name,
    image: IMAGE,
    labels: TEST_LABEL,
    network,
    entrypoint: ['bash', '-c', script],
    capDrop: ['ALL'],
    stopSignal: 'SIGKILL',
  });
  await runtime.startContainer(id);
  return id;
}

describe('host agent and lab bridge rules', () => {
  let t: TestEngine;
  let a: ReadyLab;
  let b: ReadyLab;
  let outside: NetworkInfo;
  /** The host's address on the outside network: Docker takes the subnet's first address (and does not report it). */
  let gw: string;
  const helpers: string[] = [];
  const suffix = randomBytes(3).toString('hex');
  const sh = (lab: ReadyLab, target: string, script: string) => t.engine.labs.exec(lab.id, target, { cmd: ['bash', '-c', script], timeoutMs: 20_000 });

  beforeAll(async () => {
    t = makeTestEngine();
    const subnet = await new SubnetAllocator(t.engine.runtime, '10.201.0.0/16', 27).allocate();
    // An ordinary (not internal) bridge network: the host has an address on it, like docker0.
    outside = await t.engine.runtime.createNetwork({ name: `pw-test-outside-${suffix}`, internal: false, labels: TEST_LABEL, subnet });
    gw = outside.gateway ?? intToIp(parseCidr(subnet).base + 1);
    [a, b] = await Promise.all([
      t.engine.labs.create({ template: 'nodes-2', learnerId: 'ann' }),
      t.engine.labs.create({ template: 'nodes-2', learnerId: 'bob' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(helpers.map((id) => t.engine.runtime.removeContainer(id)));
    await t.cleanup();
    if (outside) await t.engine.runtime.removeNetwork(outside.id);
  });

  it('routed pod traffic flows between node1 and node2 (addresses outside the lab subnet)', async () => {
    const [n1, n2] = [a.targets[0]!.ipv4!, a.targets[1]!.ipv4!];
    await sh(a, 'node1', `ip addr add 10.100.1.1/32 dev lo && ip route add 10.100.2.0/24 via ${n2}`);
    await sh(a, 'node2', `ip addr add 10.100.2.1/32 dev lo && ip route add 10.100.1.0/24 via ${n1}`);
    const ping = await sh(a, 'node1', 'ping -c2 -W2 -I 10.100.1.1 10.100.2.1');
    expect(ping.stdout + ping.stderr).toMatch(/2 received/);
    // TCP too, pod address to pod address.
    await sh(a, 'node2', `(timeout 10 socat -u TCP-LISTEN:8080,bind=10.100.2.1 OPEN:/tmp/got,creat >/dev/null 2>&1 &); sleep 0.3`);
    const tcp = await sh(a, 'node1', 'echo pod-to-pod | socat -u - TCP:10.100.2.1:8080,bind=10.100.1.1,connect-timeout=3');
    expect(tcp.exitCode, tcp.stderr).toBe(0);
    expect((await sh(a, 'node2', 'sleep 0.3; cat /tmp/got')).stdout).toBe('pod-to-pod\n');
  });

  it("the host holds each lab's rules, named by its bridge and commented with its lab id", async () => {
    const rules = await hostAgentFor(t.engine.runtime).listRules();
    for (const lab of [a, b]) expect(rules).toContainEqual(expect.objectContaining({ bridge: labBridgeName(lab.id, 0), labId: lab.id }));
    const listed = await agentExec(t.engine.runtime, `iptables-nft -S DOCKER-USER 2>/dev/null; iptables-legacy -S DOCKER-USER 2>/dev/null; true`);
    const br = labBridgeName(a.id, 0);
    expect(listed).toContain(`-A DOCKER-USER -i ${br} -o ${br} -m comment --comment "packetwalk ${a.id}" -j ACCEPT`);
  });

  it('nothing from a lab reaches the host, another lab or another Docker network, even sent to the bridge MAC', async () => {
    const port = 9000 + Math.floor(Math.random() * 900);
    const br = labBridgeName(a.id, 0);
    // Listeners: on the host's own address on the outside network, and in a container on that network.
    helpers.push(
      await startHelper(t.engine.runtime, `pw-test-hostl-${suffix}`, 'host', `exec timeout 60 socat -u UDP-RECV:${port},bind=${gw} OPEN:/tmp/got,creat,append`),
      await startHelper(t.engine.runtime, `pw-test-peer-${suffix}`, outside.name, `exec timeout 60 socat -u UDP-RECV:${port} OPEN:/tmp/got,creat,append`),
    );
    const peer = (await t.engine.runtime.inspectContainer(helpers[1]!))!.ipv4[outside.name]!;
    const [bridgeMac, bridgeLinkLocal] = (
      await agentExec(t.engine.runtime, `cat /sys/class/net/${br}/address; ip -6 -o addr show dev ${br} scope link | awk '{print $4}' | cut -d/ -f1`)
    ).split('\n');
    expect(bridgeMac).toMatch(/^[0-9a-f:]{17}$/);
    await new Promise((r) => setTimeout(r, 300));

    // The learner's best shot: a static ARP entry that sends everything to the host's side of the bridge.
    const bNode = b.targets[0]!.ipv4!;
    const fake = a.targets[0]!.ipv4!.replace(/\.\d+$/, '.30');
    const attempt = await sh(
      a,
      'node1',
      `ip neigh replace ${fake} lladdr ${bridgeMac} dev eth0 nud permanent
       ip route add ${outside.subnet} via ${fake}; ip route add ${bNode}/32 via ${fake}
       echo from-lab | socat -u - UDP-SENDTO:${gw}:${port}
       echo from-lab | socat -u - UDP-SENDTO:${peer}:${port}
       ping -c2 -W1 ${bNode} >/dev/null && echo reached-other-lab
       sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0; sleep 2
       ${bridgeLinkLocal ? `ping -6 -c2 -W1 ${bridgeLinkLocal}%eth0 >/dev/null && echo reached-host-ipv6` : 'echo no-link-local'}
       echo done`,
    );
    expect(attempt.stdout).toContain('done');
    expect(attempt.stdout).not.toContain('reached-other-lab');
    expect(attempt.stdout).not.toContain('reached-host-ipv6');

    // Control: the listeners do receive what is sent from where it is allowed.
    await t.engine.runtime.exec(helpers[1]!, { cmd: ['bash', '-c', `echo control | socat -u - UDP-SENDTO:${gw}:${port}`] });
    await t.engine.runtime.exec(helpers[0]!, { cmd: ['bash', '-c', `echo control | socat -u - UDP-SENDTO:${peer}:${port}`] });
    await new Promise((r) => setTimeout(r, 500));
    for (const id of helpers) {
      const got = await t.engine.runtime.exec(id, { cmd: ['cat', '/tmp/got'] });
      expect(got.stdout).toBe('control\n');
    }
  });

  it('the agent runs in the host network namespace with NET_ADMIN and NET_RAW only, and a reaper pass leaves it alone', async () => {
    await t.engine.reaper.runOnce();
    const info = await t.engine.runtime.inspectContainer(HOST_AGENT_NAME);
    expect(info?.state).toBe('running');
    expect(info?.labels).toMatchObject({ 'io.packetwalk.managed': 'true', 'io.packetwalk.role': 'host-agent' });
    const caps = await agentExec(t.engine.runtime, `grep -E '^Cap(Eff|Bnd)' /proc/1/status; cat /proc/1/cmdline | tr '\\0' ' '`);
    expect(caps).toMatch(/CapEff:\s+0000000000003000/);
    expect(caps).toMatch(/CapBnd:\s+0000000000003000/);
    expect(caps).toContain('sleep infinity');
    // It sees the lab's bridge: the host's interfaces, not a namespace of its own.
    expect(await agentExec(t.engine.runtime, `ip -o link show dev ${labBridgeName(a.id, 0)} | wc -l`)).toBe('1');
  });

  it('destroying a lab removes its rules, and the reaper sweeps rules whose bridge vanished some other way', async () => {
    const agent = hostAgentFor(t.engine.runtime);
    await t.engine.labs.destroy(b.id, 'test');
    expect((await agent.listRules()).filter((r) => r.labId === b.id)).toEqual([]);

    const labId = newLabId();
    const subnet = await new SubnetAllocator(t.engine.runtime, '10.201.0.0/16', 27).allocate();
    const net = await t.engine.runtime.createNetwork(labNetworkSpec({ labId, name: 'lan', egress: false, labels: TEST_LABEL, subnet }));
    try {
      expect(await agent.applyLabRules(labId, [labBridgeName(labId, 0)], IMAGE)).toBe(true);
      expect(await agent.listRules()).toContainEqual(expect.objectContaining({ labId }));
      const untouched = await t.engine.reaper.runOnce();
      expect(untouched.staleRulesRemoved).not.toContain(`${labBridgeName(labId, 0)} (${labId})`);
    } finally {
      await t.engine.runtime.removeNetwork(net.id);
    }
    const report = await t.engine.reaper.runOnce();
    expect(report.staleRulesRemoved).toContain(`${labBridgeName(labId, 0)} (${labId})`);
    expect((await agent.listRules()).filter((r) => r.labId === labId)).toEqual([]);
    // The live lab kept its rules through both passes.
    expect(await agent.listRules()).toContainEqual(expect.objectContaining({ labId: a.id }));
  });

  it('removing a lab by label alone (reaper orphans, test cleanup by store id) takes its host rules too', async () => {
    const c = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'cleo' });
    const net = await t.engine.runtime.inspectNetwork(c.networkId);
    expect(net?.bridgeName).toBe(labBridgeName(c.id, 0));
    expect(await hostAgentFor(t.engine.runtime).listRules()).toContainEqual(expect.objectContaining({ labId: c.id }));
    await teardownByLabel(t.engine.runtime, { [Labels.labId]: c.id });
    expect((await hostAgentFor(t.engine.runtime).listRules()).filter((r) => r.labId === c.id)).toEqual([]);
    await t.engine.labs.destroy(c.id, 'test');
  });

  it('when the agent cannot run, a lab still starts (with one warning) and only routed traffic is dropped', async () => {
    const warn = vi.spyOn(process.stderr, 'write');
    const name = `pw-test-not-an-agent-${suffix}`;
    helpers.push(await startHelper(t.engine.runtime, name, outside.name, 'exec sleep 60'));
    const provisioner = new NodesProvisioner({ runtime: t.engine.runtime, hostAgent: new HostAgent(t.engine.runtime, { name }) });
    const labId = newLabId();
    const labels = labLabels({ labId, learnerId: 'degraded', template: 'nodes-2', expiresAt: new Date(Date.now() + 600_000), storeId: t.engine.store.storeId });
    try {
      const result = await provisioner.provision({
        labId,
        sandbox: t.engine.catalog.get('nodes-2') as NodesSandbox,
        labels,
        signal: new AbortController().signal,
        onProgress: () => {},
      });
      expect(result.targets).toHaveLength(2);
      const warnings = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('[host-agent]'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/not packetwalk's host agent.*routed traffic between lab nodes/);
      const [n1, n2] = result.targets.map((x) => x.ipv4!);
      const exec = (i: number, script: string) => t.engine.runtime.exec(result.targets[i]!.containerId, { cmd: ['bash', '-c', script] });
      expect((await exec(0, `ping -c1 -W1 ${n2}`)).exitCode).toBe(0);
      await exec(1, `ip addr add 10.100.2.1/32 dev lo && ip route add 10.100.1.0/24 via ${n1}`);
      expect(
        (await exec(0, `ip addr add 10.100.1.1/32 dev lo && ip route add 10.100.2.0/24 via ${n2} && ping -c2 -W1 -I 10.100.1.1 10.100.2.1`)).exitCode,
      ).not.toBe(0);
    } finally {
      warn.mockRestore();
      await provisioner.teardown(labId);
    }
  });

  it("the node image's init leaves the network alone when it is not in a lab (PACKETWALK_LAB unset)", async () => {
    // On the test's own bridge network (with a default route), with a node's capabilities: a lab node would lose
    // its default route and remount /proc/sys/net; outside a lab neither may happen.
    const { id } = await t.engine.runtime.createContainer({
      name: `pw-test-init-${suffix}`,
      image: IMAGE,
      labels: TEST_LABEL,
      network: outside.name,
      capDrop: ['ALL'],
      capAdd: [...NODE_CAPABILITIES],
      tmpfs: { '/run': 'rw,size=1m' },
      stopSignal: 'SIGKILL',
    });
    helpers.push(id);
    await t.engine.runtime.startContainer(id);
    const r = await t.engine.runtime.exec(id, {
      cmd: [
        'bash',
        '-c',
        'for i in $(seq 50); do [ -e /run/packetwalk/ready ] && break; sleep 0.1; done; ls /run/packetwalk/ready; ip route show default; grep -c " /proc/sys/net " /proc/self/mountinfo',
      ],
    });
    expect(r.stdout).toContain('/run/packetwalk/ready');
    expect(r.stdout).toMatch(new RegExp(`^default via ${gw.replace(/\./g, '\\.')} `, 'm'));
    expect(r.stdout.trim().split('\n').at(-1)).toBe('0');
  });
});
