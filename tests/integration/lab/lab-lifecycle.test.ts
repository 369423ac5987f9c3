// Create / exec / destroy of real labs on a real Docker engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent, ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { makeTestEngine, type TestEngine } from './lab-engine-fixture.ts';

describe('a nodes-2 lab', () => {
  let t: TestEngine;
  let lab: ReadyLab;
  const events: LabEvent[] = [];

  beforeAll(async () => {
    t = makeTestEngine();
    lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: 'alice', onEvent: (e) => events.push(e) });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('is ready with targets node1 and node2 on one lab network, and its record is in the store', async () => {
    expect(lab.state).toBe('ready');
    expect(lab.targets.map((x) => x.name)).toEqual(['node1', 'node2']);
    expect(lab.targets.every((x) => x.ipv4 && /^10\.200\./.test(x.ipv4))).toBe(true);
    const stored = await t.engine.store.get(lab.id);
    expect(stored?.state).toBe('ready');
    expect(stored?.learnerId).toBe('alice');
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ type: 'state', state: 'ready' });
  });

  it('runs commands with stdout, stderr, exit code and duration; hostnames are the node names', async () => {
    const r = await t.engine.labs.exec(lab.id, 'node2', { cmd: ['sh', '-c', 'hostname; echo oops >&2; exit 7'] });
    expect(r).toMatchObject({ stdout: 'node2\n', stderr: 'oops\n', exitCode: 7, timedOut: false, truncated: false });
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('passes scripts on stdin, so nothing is written to the lab disk', async () => {
    const marker = `secret-check-${Date.now()}`;
    const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['bash', '-s'], stdin: `# ${marker}\necho "$((6*7))"; cat` });
    expect(r).toMatchObject({ exitCode: 0, stdout: '42\n' });
    const search = await t.engine.labs.exec(lab.id, 'node1', {
      cmd: ['grep', '-rlsF', marker, '/tmp', '/root', '/run', '/var', '/etc', '/usr/local', '/home'],
    });
    expect(search.exitCode, search.stdout).toBe(1);
  });

  it('node1 pings node2 by name across the lab network', async () => {
    const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['ping', '-c', '2', '-W', '2', 'node2'] });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(lab.targets[1]!.ipv4!);
    expect(r.stdout).toMatch(/2 received/);
  });

  it('a network namespace with a veth pair built inside a node works', async () => {
    const script = [
      'ip netns add pod-a',
      'ip link add veth-host type veth peer name veth-pod',
      'ip link set veth-pod netns pod-a',
      'ip addr add 10.244.1.1/24 dev veth-host && ip link set veth-host up',
      'ip -n pod-a addr add 10.244.1.2/24 dev veth-pod && ip -n pod-a link set veth-pod up && ip -n pod-a link set lo up',
      'ip netns exec pod-a ping -c1 -W2 10.244.1.1',
      'ip link add br0 type bridge && ip link set br0 up',
      'iptables -t nat -A POSTROUTING -s 10.244.1.0/24 -j MASQUERADE && iptables -t nat -S POSTROUTING | grep -c MASQUERADE',
      'sysctl -w net.ipv4.ip_forward=1',
    ].join('\n');
    const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['bash', '-e', '-s'], stdin: script });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 received/);
    expect(r.stdout).toContain('net.ipv4.ip_forward = 1');
  });

  it('a timed-out command is really killed, children included', async () => {
    const r = await t.engine.labs.exec(lab.id, 'node2', { cmd: ['bash', '-c', 'sleep 1000 & sleep 1000'], timeoutMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.durationMs).toBeLessThan(8000);
    const ps = await t.engine.labs.exec(lab.id, 'node2', { cmd: ['ps', '-eo', 'stat,args'] });
    expect(ps.stdout).not.toMatch(/sleep 1000/);
  });

  it('caps collected output and says so', async () => {
    const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['bash', '-c', 'head -c 200000 /dev/zero | tr "\\0" x'], maxOutputBytes: 4096 });
    expect(r.stdout.length).toBe(4096);
    expect(r.truncated).toBe(true);
    expect(r.exitCode).toBe(0);
  });

  it('names a missing target and lists the real ones', async () => {
    await expect(t.engine.labs.exec(lab.id, 'node9', { cmd: ['true'] })).rejects.toThrow(/no target "node9".*node1, node2/);
  });

  it('pauses and resumes (exec resumes a paused lab by itself)', async () => {
    await t.engine.labs.pause(lab.id);
    expect((await t.engine.labs.get(lab.id))?.state).toBe('paused');
    const paused = await t.engine.runtime.inspectContainer(lab.targets[0]!.containerId);
    expect(paused?.state).toBe('paused');
    const r = await t.engine.labs.exec(lab.id, 'node1', { cmd: ['hostname'] });
    expect(r.stdout).toBe('node1\n');
    expect((await t.engine.labs.get(lab.id))?.state).toBe('ready');
  });

  it('destroy removes containers and the network, and is idempotent', async () => {
    expect((await t.labelled()).containers).toHaveLength(2);
    await t.engine.labs.destroy(lab.id, 'test');
    await t.engine.labs.destroy(lab.id, 'test again');
    await t.engine.labs.destroy('lab-doesnotx', 'unknown lab');
    expect(await t.labelled()).toEqual({ containers: [], networks: [] });
    const stored = await t.engine.labs.get(lab.id);
    expect(stored).toMatchObject({ state: 'destroyed', reason: 'test' });
    await expect(t.engine.labs.exec(lab.id, 'node1', { cmd: ['true'] })).rejects.toThrow(/No lab with id/);
  });
});

describe('a nodes-1 lab', () => {
  it('has the single target node1 and survives a restart of the manager (records are on disk)', async () => {
    const t = makeTestEngine();
    try {
      const lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'bob' });
      expect(lab.targets.map((x) => x.name)).toEqual(['node1']);
      await t.engine.close();
      const again = makeTestEngine({}, {}, t.dataDir);
      try {
        const r = await again.engine.labs.exec(lab.id, 'node1', { cmd: ['cat', '/etc/hostname'] });
        expect(r.stdout.trim()).toBe('node1');
        expect((await again.engine.labs.list({ learnerId: 'bob' })).map((l) => l.id)).toEqual([lab.id]);
      } finally {
        await again.cleanup();
      }
    } finally {
      await t.cleanup().catch(() => undefined);
    }
  });
});

describe('TTY exec', () => {
  it('gives a real terminal: raw bytes both ways, resize, UTF-8, exit code', async () => {
    const t = makeTestEngine();
    try {
      const lab = await t.engine.labs.create({ template: 'nodes-1', learnerId: 'tty' });
      const tty = await t.engine.labs.execTty(lab.id, 'node1', { cmd: ['bash', '--norc', '-i'], cols: 100, rows: 30 });
      let seen = '';
      tty.stream.on('data', (b: Buffer) => (seen += b.toString('utf8')));
      const waitFor = async (re: RegExp) => {
        for (let i = 0; i < 200 && !re.test(seen); i++) await new Promise((r) => setTimeout(r, 25));
        expect(seen).toMatch(re);
      };
      tty.stream.write('stty size; tty; echo "größe ✓ $LANG"\n');
      await waitFor(/30 100/);
      await waitFor(/\/dev\/pts\/\d+/);
      await waitFor(/größe ✓ C\.UTF-8/);
      await tty.resize(120, 40);
      tty.stream.write('stty size\n');
      await waitFor(/40 120/);
      tty.stream.write('exit 3\n');
      expect(await tty.exited).toBe(3);
    } finally {
      await t.cleanup();
    }
  });
});
