// `ip netns exec` and `ip -n` behave as on a real host on every engine this directory runs against: the default
// engine (where `ip` is iproute2 itself) and the user-namespace engine (where the node's init puts the image's wrapper
// first on PATH, and it makes the namespace switch itself, because iproute2's read-write sysfs mount is refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../lab/lab-engine-fixture.ts';

describe('ip netns exec / ip -n in a node', () => {
  let t: TestEngine;
  let lab: ReadyLab;
  const sh = (script: string) => t.engine.labs.exec(lab.id, lab.targets[0]!.name, { cmd: ['bash', '-c', script], timeoutMs: 20_000 });

  beforeAll(async () => {
    t = makeTestEngine({ LAB_ISOLATION: 'auto', HOST: '127.0.0.1' });
    lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'netns' });
    const r = await sh(`set -e
      ip netns add pod-a
      ip link add veth-a type veth peer name eth0 netns pod-a
      ip addr add 10.100.1.1/24 dev veth-a && ip link set veth-a up
      ip -n pod-a addr add 10.100.1.2/24 dev eth0
      ip -n pod-a link set eth0 up && ip -n pod-a link set lo up
      mkdir -p /etc/netns/pod-a && echo 'nameserver 10.100.1.53' > /etc/netns/pod-a/resolv.conf`);
    expect(r.exitCode, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('ip is iproute2 itself, except in a user namespace, where it is the wrapper', async () => {
    const r = await sh(`read -r _ _ span </proc/self/uid_map; echo "$span"; readlink -f "$(command -v ip)"`);
    const [span, ip] = r.stdout.trim().split('\n');
    expect(ip).toBe(span === '4294967295' ? '/usr/bin/ip' : '/usr/local/lib/packetwalk/ip-userns');
  });

  it('runs a command in the namespace, with its own /sys/class/net and /etc/netns files, and passes its exit code on', async () => {
    const r = await sh(`ip netns exec pod-a ls /sys/class/net | tr '\\n' ' '; echo
      ip netns exec pod-a cat /etc/resolv.conf
      ip netns exec pod-a ping -c1 -W2 10.100.1.1 >/dev/null && echo ping-ok
      ip netns exec pod-a sysctl -n net.ipv4.ip_forward
      ip netns exec pod-a sh -c 'exit 7'; echo "exit=$?"`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('eth0 lo');
    expect(r.stdout).toContain('nameserver 10.100.1.53');
    expect(r.stdout).toContain('ping-ok');
    expect(r.stdout).toContain('exit=7');
  });

  it('ip -n NS (any leading position) and nested switches work; a missing namespace fails as iproute2 does', async () => {
    const r = await sh(`ip -n pod-a -br addr show eth0
      ip -4 -netns pod-a -o addr show eth0 | awk '{print $4}'
      ip netns exec pod-a ip -n pod-a -br link show lo
      ip -n nope link; echo "missing=$?"`);
    expect(r.stdout).toMatch(/^eth0@\S+\s+UP\s+10\.100\.1\.2\/24/m);
    expect(r.stdout).toContain('10.100.1.2/24');
    expect(r.stdout).toMatch(/^lo\s+UNKNOWN/m);
    expect(r.stdout).toContain('missing=255');
    expect(r.stderr).toContain('Cannot open network namespace "nope"');
  });

  it('the host side is untouched: the node still sees its own interfaces and /sys', async () => {
    const r = await sh(`ls /sys/class/net | tr '\\n' ' '; echo; ip netns delete pod-a && ip netns list | wc -l`);
    const [sys, left] = r.stdout.trim().split('\n');
    expect(sys?.trim()).toBe('eth0 lo veth-a');
    expect(left).toBe('0');
  });
});
