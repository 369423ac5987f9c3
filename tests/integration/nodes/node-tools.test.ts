// Tools that start as root and drop privileges work on a lab node as on a real host: tcpdump (which switches to the
// "tcpdump" user) captures a ping between nodes and writes capture files, dnsmasq (which switches to "nobody") starts
// as a daemon without user= workarounds, and root can still stop them and handle the files they own.
// All traffic stays on the lab network or the node's loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

describe('privilege-dropping tools on a node', () => {
  let t: TestEngine;
  let lab: ReadyLab;
  const sh = (target: string, script: string, timeoutMs = 15_000) => t.engine.labs.exec(lab.id, target, { cmd: ['bash', '-c', script], timeoutMs });

  beforeAll(async () => {
    t = makeTestEngine();
    lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: 'tools' });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('tcpdump -ni eth0 -c1 icmp captures a ping between the nodes, running as the tcpdump user', async () => {
    const started = await sh(
      'node2',
      `(timeout 20 tcpdump -ni eth0 -c1 icmp >/tmp/cap.out 2>/tmp/cap.err &)
       for i in $(seq 100); do grep -q listening /tmp/cap.err && break; sleep 0.1; done
       cat /tmp/cap.err; ps -o user= -C tcpdump`,
    );
    expect(started.stdout).toMatch(/listening on eth0/);
    expect(started.stdout).not.toMatch(/Couldn't change|Operation not permitted/);
    expect(started.stdout).toMatch(/^tcpdump$/m);
    expect((await sh('node1', 'ping -c2 -W1 node2')).exitCode).toBe(0);
    const captured = await sh('node2', 'for i in $(seq 50); do [ -s /tmp/cap.out ] && break; sleep 0.1; done; cat /tmp/cap.out');
    const [node1, node2] = [lab.targets[0]!.ipv4!, lab.targets[1]!.ipv4!];
    expect(captured.stdout).toContain(`IP ${node1} > ${node2}: ICMP echo request`);
  });

  it('tcpdump -w writes a capture (twice to the same file), and root changes its mode and reads it back', async () => {
    const r = await sh(
      'node1',
      `set -e
       for round in 1 2; do
         (timeout 20 tcpdump -ni eth0 -c1 -w /root/ping.pcap icmp 2>/tmp/w.err &)
         for i in $(seq 100); do grep -q listening /tmp/w.err && break; sleep 0.1; done
         ping -c2 -W1 node2 >/dev/null
         for i in $(seq 50); do pgrep -x tcpdump >/dev/null || break; sleep 0.1; done
       done
       stat -c '%U' /root/ping.pcap
       chmod 0600 /root/ping.pcap && echo chmodded
       tcpdump -nr /root/ping.pcap 2>/dev/null`,
    );
    expect(r.stderr).not.toMatch(/Couldn't change ownership|Permission denied/);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^tcpdump$/m);
    expect(r.stdout).toContain('chmodded');
    expect(r.stdout).toMatch(/ICMP echo (request|reply)/);
  });

  it('dnsmasq starts as a daemon with no user= option, runs as nobody, answers, and root truncates its log and stops it', async () => {
    const r = await sh(
      'node1',
      `touch /tmp/dnsmasq.log
       dnsmasq --port 5353 --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \\
         --address=/pw.test/10.100.9.9 --log-queries --log-facility=/tmp/dnsmasq.log || { echo "start failed: $?"; exit 1; }
       sleep 0.3
       echo "user: $(ps -o user= -C dnsmasq)"
       echo "answer: $(dig +short +time=2 +tries=1 -p 5353 @127.0.0.1 web.pw.test)"
       grep -c 'query\\[A\\] web.pw.test' /tmp/dnsmasq.log | sed 's/^/logged: /'
       : > /tmp/dnsmasq.log && echo truncated
       pkill -x dnsmasq && echo stopped
       sleep 0.3; pgrep -x dnsmasq || echo gone`,
    );
    expect(r.stdout, r.stderr).not.toContain('start failed');
    expect(r.stdout).toContain('user: nobody');
    expect(r.stdout).toContain('answer: 10.100.9.9');
    expect(r.stdout).toContain('logged: 1');
    expect(r.stdout).toContain('truncated');
    expect(r.stdout).toContain('stopped');
    expect(r.stdout).toContain('gone');
  });

  it('root binds ports below 1024 inside a pod-style network namespace (which starts with ip_unprivileged_port_start=1024)', async () => {
    const r = await sh(
      'node1',
      `ip netns add pod-a && ip -n pod-a link set lo up
       ip netns exec pod-a sysctl -n net.ipv4.ip_unprivileged_port_start
       (ip netns exec pod-a timeout 5 socat -u TCP-LISTEN:80,bind=127.0.0.1 OPEN:/tmp/pod80,creat >/dev/null 2>/tmp/pod80.err &)
       sleep 0.3
       echo hello | ip netns exec pod-a socat -u - TCP:127.0.0.1:80,connect-timeout=2 && sleep 0.2 && cat /tmp/pod80
       cat /tmp/pod80.err; ip netns del pod-a`,
    );
    expect(r.stdout).toMatch(/^1024$/m);
    expect(r.stdout).not.toMatch(/Permission denied/);
    expect(r.stdout).toContain('hello');
  });
});
