// The network service on a real nodes-2 lab: build a veth, a bridge and a VXLAN by exec and read them back as the map;
// capture a ping and find tshark's decoded ICMP (list row, layer tree, pcapng download); impairments (tbf rate
// measurably slows a transfer; netem delay raises ping RTT and netem loss drops pings where the kernel has sch_netem,
// which the Ubuntu-hosts workflow asserts with PACKETWALK_EXPECT_NETEM) and their removal on reset;
// a capture stops when its lab is paused; a capture under a flood keeps running with bounded memory.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadyLab } from '../../../lab-runner/lab/lab.ts';
import { MISSING_QDISC } from '../../../lab-runner/network/impairment-script.ts';
import { LabNetwork } from '../../../lab-runner/network/lab-network.ts';
import { LIST_RATE, PACER_PY } from '../../../lab-runner/network/list-pacer.ts';
import type { CaptureEvent, PacketRow } from '../../../lab-runner/wire/network.ts';
import { makeTestEngine } from '../lab/lab-engine-fixture.ts';
import type { TestEngine } from '../lab/lab-engine-fixture.ts';

let t: TestEngine;
let lab: ReadyLab;
let net: LabNetwork;

beforeAll(async () => {
  t = makeTestEngine({});
  lab = await t.engine.labs.create({ template: 'nodes-2', learnerId: 'learner-network-int-01', usePool: false });
  net = new LabNetwork(t.engine.labs);
});
afterAll(async () => {
  await net?.close();
  await t?.cleanup();
});

const sh = async (target: string, script: string) => {
  const r = await t.engine.labs.exec(lab.id, target, { cmd: ['bash', '-c', script], timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`${script}: ${r.stderr}`);
  return r.stdout;
};
const addr = (target: string) => lab.targets.find((x) => x.name === target)!.ipv4!;

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('map on a real lab', () => {
  it('reads a namespace on a bridge by veth and a VXLAN to the other node', async () => {
    await sh(
      'node1',
      `ip netns add pod-a; ip link add br0 type bridge; ip link set br0 up; ip addr add 10.100.1.1/24 dev br0
      ip link add veth-a type veth peer name eth0 netns pod-a; ip link set veth-a master br0 up
      ip -n pod-a addr add 10.100.1.10/24 dev eth0; ip -n pod-a link set eth0 up
      ip link add vxlan42 type vxlan id 42 remote ${addr('node2')} dstport 4789 dev eth0; ip link set vxlan42 up`,
    );
    await sh('node2', `ip link add vxlan42 type vxlan id 42 remote ${addr('node1')} dstport 4789 dev eth0; ip link set vxlan42 up`);
    const map = await net.map(lab.id);
    expect(map.nodes.map((n) => n.name)).toEqual(['node1', 'node2']);
    expect(map.namespaces.map((n) => n.id)).toContain('node1/pod-a');
    expect(map.links).toContainEqual({ id: 'veth:node1/-/veth-a<>node1/pod-a/eth0', kind: 'veth', a: 'node1/-/veth-a', b: 'node1/pod-a/eth0' });
    expect(map.links).toContainEqual(expect.objectContaining({ kind: 'bridge-port', bridge: 'node1/-/br0', port: 'node1/-/veth-a' }));
    expect(map.interfaces.find((i) => i.id === 'node1/pod-a/eth0')!.addresses).toContain('10.100.1.10/24');
    expect(map.interfaces.find((i) => i.id === 'node1/-/vxlan42')!.tunnel).toMatchObject({ kind: 'vxlan', vni: 42, remote: addr('node2'), port: 4789 });
    expect(map.links).toContainEqual(
      expect.objectContaining({ kind: 'tunnel', toNode: expect.stringMatching(/^node[12]$/), to: expect.stringMatching(/vxlan42$/) }),
    );
  });

  it('reads routes per namespace on demand', async () => {
    await sh('node1', 'ip -n pod-a route add default via 10.100.1.1');
    const map = await net.map(lab.id, { routes: true });
    expect(map.namespaces.find((n) => n.id === 'node1/pod-a')!.routes).toContainEqual(expect.objectContaining({ dst: 'default', via: '10.100.1.1' }));
  });
});

describe('capture on a real lab', () => {
  it('captures a ping: rows decoded by tshark, a layer tree with ICMP, and a pcapng download', async () => {
    const capture = await net.startCapture(lab.id, { target: 'node1', iface: 'eth0', filter: 'icmp' });
    await until('the capture to start', () => (net.captureView(lab.id, capture.id).state === 'running' ? true : undefined), 60_000);
    const rows: PacketRow[] = [];
    const unwatch = net.watchCapture(lab.id, capture.id, (e: CaptureEvent) => {
      if (e.type === 'packets') rows.push(...e.rows);
    });
    // tshark needs a moment to open the interface: ping until rows arrive.
    await until('ICMP rows', async () => {
      await sh('node1', `ping -c 1 -W 1 ${addr('node2')} >/dev/null || true`);
      return rows.some((r) => r.protocol === 'ICMP' && /Echo \(ping\) reply/.test(r.info)) || undefined;
    });
    // One capture: one dumpcap and one packet socket in the node (the list reads the ring's files).
    expect((await sh('node1', 'ps -o pid= -C dumpcap')).trim().split('\n')).toHaveLength(1);
    expect((await sh('node1', 'tail -n +2 /proc/net/packet')).trim().split('\n')).toHaveLength(1);
    const request = rows.find((r) => /Echo \(ping\) request/.test(r.info))!;
    expect(request).toMatchObject({ src: addr('node1'), dst: addr('node2'), protocol: 'ICMP' });
    const detail = await net.packetDetail(lab.id, capture.id, request.no);
    expect(Object.keys(detail.layers)).toEqual(expect.arrayContaining(['frame', 'eth', 'ip', 'icmp']));
    expect((detail.layers.icmp as Record<string, unknown>)['icmp.type']).toBe('8');
    await net.stopCapture(lab.id, capture.id);
    unwatch();
    const file = await net.downloadCapture(lab.id, capture.id);
    // pcapng: a Section Header Block (0x0A0D0D0A) with the byte-order magic 0x1A2B3C4D.
    expect(file.readUInt32BE(0)).toBe(0x0a0d0d0a);
    expect([file.readUInt32LE(8), file.readUInt32BE(8)]).toContain(0x1a2b3c4d);
    expect(net.captureView(lab.id, capture.id).state).toBe('stopped');
  });

  it('the list follows the ring across files, and a fresh pacer resumes where the last one stopped', async () => {
    // A ring of 4-packet files, 40 pings on lo (80 packets, 20 files); four pacers in turn, 5 packets each: the
    // list is the first 20 packets in order, none lost or listed twice at a handover or a file switch.
    const out = await sh(
      'node1',
      `d=/tmp/pw-pacer-test; rm -rf $d; mkdir $d; cat > $d/pacer.py <<'__PW_PACER'
${PACER_PY.trim()}
__PW_PACER
dumpcap -q -i lo -f icmp -w $d/cap.pcapng -b packets:4 -b files:50 2>/dev/null & dc=$!
until ls $d/cap_* >/dev/null 2>&1; do sleep 0.05; done
ping -i 0.05 -c 40 127.0.0.1 >/dev/null &
for i in 1 2 3 4; do python3 $d/pacer.py ${LIST_RATE} 5 $d | tshark -r - -n -T fields -e icmp.type -e icmp.seq 2>/dev/null; done
kill -INT $dc; wait; rm -rf $d`,
    );
    const expected = Array.from({ length: 10 }, (_, i) => [`8\t${i + 1}`, `0\t${i + 1}`]).flat();
    expect(out.trim().split('\n')).toEqual(expected);
  });

  it('captures inside a namespace and refuses a filter pcap cannot compile', async () => {
    await expect(net.startCapture(lab.id, { target: 'node1', iface: 'eth0', filter: 'icmp and and' })).rejects.toMatchObject({ code: 'bad-request' });
    const c = await net.startCapture(lab.id, { target: 'node1', ns: 'pod-a', iface: 'eth0' });
    const rows: PacketRow[] = [];
    const unwatch = net.watchCapture(lab.id, c.id, (e) => e.type === 'packets' && rows.push(...e.rows));
    await until('the capture to start', () => (net.captureView(lab.id, c.id).state === 'running' ? true : undefined), 60_000);
    await until('a ping from pod-a', async () => {
      await sh('node1', 'ip netns exec pod-a ping -c 1 -W 1 10.100.1.1 >/dev/null || true');
      return rows.some((r) => r.src === '10.100.1.10' && r.protocol === 'ICMP') || undefined;
    });
    unwatch();
    await net.discardCapture(lab.id, c.id);
    expect(await sh('node1', `ls -d /tmp/packetwalk-capture-${c.id} 2>/dev/null || echo gone`)).toMatch(/gone/);
  });
});

/** Enhanced Packet Blocks in a pcapng file (little-endian, as dumpcap writes on x86). */
function pcapngPackets(file: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  for (let at = 0; at + 12 <= file.length;) {
    const type = file.readUInt32LE(at);
    const length = file.readUInt32LE(at + 4);
    if (length < 12 || at + length > file.length) throw new Error(`not a pcapng block at ${at}`);
    if (type === 6) packets.push(file.subarray(at + 28, at + 28 + file.readUInt32LE(at + 20)));
    at += length;
  }
  return packets;
}

describe('a capture under a flood', () => {
  // Was: tshark read the ring back, fell behind it within a second at these rates ("The file … doesn't exist") and
  // grew ~22 MB per ring file until the node's memory limit killed it (~7,000 packets): the capture ended by itself.
  it('keeps running: the ring holds the newest packets, the list is a sample, a late row decodes, tshark stays small', async () => {
    const c = await net.startCapture(lab.id, { target: 'node1', iface: 'eth0', filter: 'udp port 9999' });
    const unwatch = net.watchCapture(lab.id, c.id, () => {});
    await until('the capture to start', () => (net.captureView(lab.id, c.id).state === 'running' ? true : undefined), 60_000);
    // gap: seconds after each datagram; rate: datagrams a second at most (checked every 100), 0 for as fast as it goes.
    const blast = (count: number, payload: string, gap = 0, rate = 0) =>
      sh(
        'node2',
        `python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t0 = time.monotonic()
for i in range(${count}):
    s.sendto(b"${payload}-%d" % i, ("${addr('node1')}", 9999))
    ${gap ? `time.sleep(${gap})` : 'pass'}
    if ${rate} and i % 100 == 99:
        time.sleep(max(0, t0 + (i + 1) / ${rate || 1} - time.monotonic()))'`,
      );
    const listerRss = async () => {
      const out = await sh('node1', 'ps -o rss= -C tshark || true');
      return Math.max(0, ...out.split('\n').filter(Boolean).map(Number));
    };
    let maxRss = 0;
    const started = Date.now();
    // At 10,000 datagrams a second, not as fast as the node can send: the list outgrows LIST_RATE rows (asserted below)
    // only if the flood lasts more than a second. Back to back, 40,000 took 0.7-0.8 s on the project machines and the
    // list got 425-530 rows (CI run 17 failed on 425); a faster host would list fewer.
    for (let i = 0; i < 4; i++) {
      await blast(10_000, `pw-flood${i}`, 0, 10_000);
      maxRss = Math.max(maxRss, await listerRss());
    }
    const floodMs = Date.now() - started;
    // The list is a sample (the pacer passes tshark at most LIST_RATE of the ring's packets a second) and drains after
    // the flood; then 20 paced datagrams, which it lists, after more than a second's worth (LIST_RATE) of rows.
    const seen = () => net.captureView(lab.id, c.id).seen;
    let last = -1;
    await until(
      'the list to drain its backlog',
      async () => {
        await new Promise((r) => setTimeout(r, 1_500));
        const now = seen();
        const done = now === last;
        last = now;
        return done || undefined;
      },
      120_000,
    );
    expect(net.captureView(lab.id, c.id)).toMatchObject({ state: 'running' });
    await blast(20, 'pw-late', 0.01);
    await until('the 20 late datagrams in the list', () => (seen() >= last + 20 ? true : undefined), 30_000);
    // The server's newest rows (a new watcher gets them first; the stream to browsers is rate-limited).
    const newest: PacketRow[] = [];
    net.watchCapture(lab.id, c.id, (e) => e.type === 'packets' && newest.push(...e.rows))();
    const late = newest.at(-1)!;
    expect(late).toMatchObject({ src: addr('node2'), dst: addr('node1'), protocol: 'UDP' });
    expect(late.no).toBeGreaterThan(LIST_RATE);
    maxRss = Math.max(maxRss, await listerRss());
    const view = net.captureView(lab.id, c.id);
    console.info(`flood: 40,000 datagrams in ${floodMs} ms; the list got ${view.seen} rows; tshark RSS peak ${Math.round(maxRss / 1024)} MiB`);
    expect(view).toMatchObject({ state: 'running' });
    expect(view.reason).toBeUndefined();
    expect(view.seen).toBeGreaterThan(LIST_RATE);
    // The pacer hands tshark at most LIST_RATE packets a second (its CPU is bounded), whatever the flood's rate.
    expect(view.seen).toBeLessThanOrEqual(LIST_RATE * Math.ceil((Date.now() - started) / 1000));
    // The node's limit is 256 MiB; tshark 4.0 starts at ~145 MiB here and the list's restarts keep it near that.
    expect(maxRss).toBeLessThan(200 * 1024);

    // The detail of a row listed after the ring has turned over many times, found by its kernel timestamp and length.
    const detail = await net.packetDetail(lab.id, c.id, late.no);
    const ip = detail.layers.ip as Record<string, unknown>;
    expect([ip['ip.src'], ip['ip.dst']]).toEqual([late.src, late.dst]);
    expect(Object.keys(detail.layers)).toContain('udp');
    expect((detail.layers.frame as Record<string, unknown>)['frame.len']).toBe(String(late.length));
    expect(JSON.stringify(detail.layers)).toContain('70:77:2d:6c:61:74:65:2d'); // "pw-late-"

    await net.stopCapture(lab.id, c.id);
    unwatch();
    expect(net.captureView(lab.id, c.id).state).toBe('stopped');
    // The ring: 5 files of 1,000 packets, the newest partly filled; its newest packet is the last one sent.
    const packets = pcapngPackets(await net.downloadCapture(lab.id, c.id));
    expect(packets.length).toBeGreaterThan(4_000);
    expect(packets.length).toBeLessThanOrEqual(5_000);
    expect(packets.at(-1)!.toString('latin1')).toContain('pw-late-19');
    expect(packets.at(-21)!.toString('latin1')).toContain('pw-flood3-9999');
  }, 240_000);
});

describe('saw_packet, the packet-aware check helper', () => {
  const preamble = fs.readFileSync(new URL('../../../lab-runner/grader/check-preamble.sh', import.meta.url), 'utf8');
  const check = async (script: string) =>
    (await t.engine.labs.exec(lab.id, 'node1', { cmd: ['bash', '-s'], stdin: `${preamble}\n${script}\n`, timeoutMs: 30_000 })).exitCode;
  it('sees an ICMP echo that crossed eth0 (display filter decoded by tshark) and not a packet that never came', async () => {
    expect(await check(`saw_packet eth0 icmp 3 'icmp.type == 8' -- ping -c 2 -W 1 ${addr('node2')}`)).toBe(0);
    expect(await check(`saw_packet eth0 icmp 3 'tcp' -- ping -c 2 -W 1 ${addr('node2')}`)).toBe(1);
    // Not VXLAN's port: the first test left vxlan42 up between the nodes, and whatever a kernel sends over it (IPv6
    // neighbour discovery where enabled, a late ARP) crosses eth0 as UDP 4789; in the stock-kernel VM one did inside
    // this window (CI, a173e22). Nothing in the lab sends to the discard port.
    expect(await check(`saw_packet eth0 'udp port 9' 2`)).toBe(1);
    expect(await check(`PW_NETNS=pod-a saw_packet eth0 icmp 3 icmp -- ip netns exec pod-a ping -c 1 -W 1 10.100.1.1`)).toBe(0);
  });
});

describe('impairments on a real lab', () => {
  it('a tbf rate limit shows on the map and measurably slows a transfer; clearing it restores the speed', async () => {
    await sh('node2', 'setsid -f socat -u TCP-LISTEN:9000,reuseaddr,fork OPEN:/dev/null </dev/null >/dev/null 2>&1');
    // Timed inside the node: an exec's own round trip (about 2 s on the stock-kernel VM's emulated CPU with Docker 26)
    // would otherwise swamp the unlimited transfer and make the ratio below meaningless.
    const send = async () => {
      const r = await sh(
        'node1',
        `t0=$(date +%s%N); head -c 300000 /dev/zero | socat -u - TCP:${addr('node2')}:9000 || exit 1; echo $(( ($(date +%s%N) - t0) / 1000000 ))`,
      );
      const ms = Number(r.trim().split('\n').at(-1));
      if (!Number.isFinite(ms)) throw new Error(`no transfer time: ${r}`);
      return ms;
    };
    await until(
      'the listener',
      async () =>
        await send()
          .then(() => true)
          .catch(() => undefined),
    );
    const fast = await send();
    await net.impair(lab.id, { target: 'node1', iface: 'eth0', rateKbit: 800 });
    const map = await net.map(lab.id);
    expect(map.interfaces.find((i) => i.id === 'node1/-/eth0')!.impairment).toEqual({ kind: 'tbf', summary: 'rate 800Kbit' });
    const slow = await send();
    // 300 kB at 800 kbit/s is ~3 s.
    expect(slow).toBeGreaterThan(2_000);
    expect(slow).toBeGreaterThan(fast * 3);
    await net.clearImpairment(lab.id, { target: 'node1', iface: 'eth0' });
    expect((await net.map(lab.id)).interfaces.find((i) => i.id === 'node1/-/eth0')!.impairment).toBeUndefined();
  });

  /** tc's refusal when this Docker host's kernel has no sch_netem, else undefined (the probe leaves lo as it was). */
  const netemMissing = async (): Promise<string | undefined> => {
    const probe = await t.engine.labs.exec(lab.id, 'node1', {
      cmd: ['bash', '-c', 'tc qdisc add dev lo root netem delay 1ms 2>&1; tc qdisc del dev lo root 2>/dev/null; true'],
    });
    return MISSING_QDISC.test(probe.stdout) ? probe.stdout.trim() : undefined;
  };
  /** Skips (asserting the refusal) where netem is missing, unless the host claims it (PACKETWALK_EXPECT_NETEM). */
  const needNetem = async (ctx: { skip: (note: string) => never }) => {
    const missing = await netemMissing();
    if (!missing) return;
    await expect(net.impair(lab.id, { target: 'node1', iface: 'eth0', delayMs: 100 })).rejects.toMatchObject({ code: 'unsupported' });
    // The Ubuntu-hosts workflow loads sch_netem first: there a missing netem is a failure, not a skip.
    if (process.env.PACKETWALK_EXPECT_NETEM) throw new Error(`PACKETWALK_EXPECT_NETEM is set but tc in the lab says: ${missing}`);
    ctx.skip(`this Docker host's kernel has no sch_netem ("${missing}"): the refusal is asserted, the impairment cannot be`);
  };

  it("netem delay raises ping RTT and shows on the map (skips where the kernel has no sch_netem, with tc's own message)", async (ctx) => {
    await needNetem(ctx);
    // The smallest of five round trips: a delay shifts every one of them, while a busy machine (CI, an emulated CPU)
    // adds spikes to single pings that would swamp the comparison.
    const rtt = async () => Number(/= ([\d.]+)\//.exec(await sh('node1', `ping -c 5 -i 0.2 -W 2 ${addr('node2')} | tail -1`))![1]);
    const before = await rtt();
    await net.impair(lab.id, { target: 'node1', iface: 'eth0', delayMs: 100 });
    expect((await net.map(lab.id)).interfaces.find((i) => i.id === 'node1/-/eth0')!.impairment).toEqual({ kind: 'netem', summary: 'delay 100ms' });
    expect(await rtt()).toBeGreaterThan(before + 90);
    await net.clearImpairment(lab.id, { target: 'node1', iface: 'eth0' });
    expect(await rtt()).toBeLessThan(before + 50);
  });

  it('netem loss drops packets and shows on the map; clearing it lets them through (skips without sch_netem)', async (ctx) => {
    await needNetem(ctx);
    const received = async () => Number(/(\d+) received/.exec(await sh('node1', `ping -c 3 -i 0.2 -W 1 ${addr('node2')} || true`))![1]);
    await net.impair(lab.id, { target: 'node1', iface: 'eth0', lossPercent: 100 });
    expect((await net.map(lab.id)).interfaces.find((i) => i.id === 'node1/-/eth0')!.impairment).toEqual({ kind: 'netem', summary: 'loss 100%' });
    expect(await received()).toBe(0);
    await net.clearImpairment(lab.id, { target: 'node1', iface: 'eth0' });
    expect(await received()).toBe(3);
  });

  it('a reset removes impairments; a pause stops a running capture', async () => {
    await net.impair(lab.id, { target: 'node2', iface: 'eth0', rateKbit: 1000 });
    const c = await net.startCapture(lab.id, { target: 'node2', iface: 'eth0', filter: 'icmp' });
    await until('the capture to start', () => (net.captureView(lab.id, c.id).state === 'running' ? true : undefined), 60_000);
    // Pause only once tshark runs: pausing a container while an exec is still starting (runc init) leaves that exec
    // frozen and `docker unpause` waiting on it forever on cgroup v1 (seen here).
    let seen = 0;
    const unwatch = net.watchCapture(lab.id, c.id, (e) => e.type === 'capture' && (seen = e.capture.seen));
    await until('the capture to see a ping', async () => {
      await sh('node2', `ping -c 1 -W 1 ${addr('node1')} >/dev/null || true`);
      return seen > 0 || undefined;
    });
    unwatch();
    await t.engine.labs.pause(lab.id);
    await until('the capture to stop', () => (net.captureView(lab.id, c.id).state === 'stopped' ? true : undefined));
    expect(net.captureView(lab.id, c.id).reason).toMatch(/paused/);
    await expect(net.map(lab.id)).rejects.toMatchObject({ code: 'lab-state' });
    await t.engine.labs.resume(lab.id);
    lab = await t.engine.labs.reset(lab.id);
    const map = await net.map(lab.id);
    expect(map.interfaces.filter((i) => i.impairment)).toEqual([]);
  });
});
