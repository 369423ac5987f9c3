// Labs are islands: two labs cannot reach each other, and nothing in a lab reaches beyond its own network
// (no route out, no address on the host side of the bridge, no cloud metadata). Traffic in these tests only
// ever goes to addresses of networks the test created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

describe('lab isolation', () => {
  let t: TestEngine;
  let a: ReadyLab;
  let b: ReadyLab;

  beforeAll(async () => {
    t = makeTestEngine();
    [a, b] = await Promise.all([
      t.engine.labs.create({ template: 'nodes-2', learnerId: 'alice' }),
      t.engine.labs.create({ template: 'nodes-2', learnerId: 'bob' }),
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('each lab has its own internal network and subnet', async () => {
    const [na, nb] = await Promise.all([t.engine.runtime.inspectNetwork(a.networkId), t.engine.runtime.inspectNetwork(b.networkId)]);
    expect(na?.internal).toBe(true);
    expect(nb?.internal).toBe(true);
    expect(na?.subnet).not.toBe(nb?.subnet);
  });

  it("a node of lab A cannot reach lab B's nodes, by address or by name", async () => {
    const bNode1 = b.targets[0]!.ipv4!;
    const own = await t.engine.labs.exec(a.id, 'node1', { cmd: ['ping', '-c1', '-W1', 'node2'] });
    expect(own.exitCode).toBe(0);
    const ping = await t.engine.labs.exec(a.id, 'node1', { cmd: ['ping', '-c2', '-W1', bNode1] });
    expect(ping.exitCode).not.toBe(0);
    const tcp = await t.engine.labs.exec(a.id, 'node1', { cmd: ['bash', '-c', `timeout 2 bash -c 'echo > /dev/tcp/${bNode1}/22'`] });
    expect(tcp.exitCode).not.toBe(0);
    const byName = await t.engine.labs.exec(a.id, 'node1', { cmd: ['getent', 'hosts', b.targets[0]!.containerName] });
    expect(byName.exitCode).not.toBe(0);
  });

  it("even a node that puts itself on the other lab's subnet stays on its own wire", async () => {
    const bNode2 = b.targets[1]!.ipv4!;
    const script = `ip addr add ${bNode2.replace(/\.\d+$/, '.29')}/27 dev eth0 2>/dev/null || true; ping -c2 -W1 ${bNode2}`;
    const r = await t.engine.labs.exec(a.id, 'node2', { cmd: ['bash', '-c', script] });
    expect(r.exitCode).not.toBe(0);
  });

  it('has no route out of the lab network: no default route, no metadata service', async () => {
    const routes = await t.engine.labs.exec(a.id, 'node1', { cmd: ['ip', '-4', 'route', 'show'] });
    expect(routes.stdout).not.toMatch(/^default/m);
    for (const dst of ['1.1.1.1', '169.254.169.254', '172.17.0.1']) {
      const r = await t.engine.labs.exec(a.id, 'node1', { cmd: ['ip', 'route', 'get', dst] });
      expect(r.exitCode, `${dst}: ${r.stdout}`).not.toBe(0);
      expect(r.stderr).toMatch(/unreachable/i);
    }
    const curl = await t.engine.labs.exec(a.id, 'node1', { cmd: ['curl', '-sS', '--max-time', '2', 'http://169.254.169.254/'] });
    expect(curl.exitCode).not.toBe(0);
    expect(curl.durationMs).toBeLessThan(1500);
  });

  it('the host has no address on a lab bridge, so a learner-added default route leads nowhere', async () => {
    const net = await t.engine.runtime.inspectNetwork(a.networkId);
    expect(net?.gateway).toBeUndefined();
    // The would-be gateway (first address of the lab subnet) belongs to nobody: ARP gets no answer.
    const gw = net!.subnet!.replace(/\.\d+\/\d+$/, (m) => `.${Number(m.slice(1).split('/')[0]) + 1}`);
    const r = await t.engine.labs.exec(a.id, 'node1', {
      cmd: ['bash', '-c', `ip route add default via ${gw} && ping -c1 -W1 ${gw}; rc=$?; ip route del default; exit $rc`],
    });
    expect(r.exitCode).not.toBe(0);
  });
});
