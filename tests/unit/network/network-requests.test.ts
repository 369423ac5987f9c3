// What a learner may name in a capture or an impairment request (these values reach a shell in the lab, quoted).
import { describe, expect, it } from 'vitest';
import { captureRequest, impairmentRequest } from '../../../lab-runner/wire/network-requests.ts';
import { LIST_PACKETS, captureScript, detailScript } from '../../../lab-runner/network/capture-script.ts';
import { LIST_RATE, PACER_PY, pacerCommand } from '../../../lab-runner/network/list-pacer.ts';
import { impairmentRefusal, impairScript } from '../../../lab-runner/network/impairment-script.ts';

describe('network requests', () => {
  it('accepts real interface, namespace and filter names', () => {
    expect(captureRequest.parse({ target: 'node1', iface: 'vxlan100', filter: 'udp port 4789 and host 10.0.0.2' })).toEqual({
      target: 'node1',
      ns: '',
      iface: 'vxlan100',
      filter: 'udp port 4789 and host 10.0.0.2',
    });
    expect(captureRequest.safeParse({ target: 'node1', ns: 'cni-1a2b-3c', iface: 'eth0@if12'.slice(0, 4), filter: 'tcp[13] & 2 != 0' }).success).toBe(true);
  });

  it('refuses shell syntax, long names and empty impairments', () => {
    expect(captureRequest.safeParse({ target: 'node1', iface: 'eth0; reboot' }).success).toBe(false);
    expect(captureRequest.safeParse({ target: 'node1', iface: 'a-name-longer-than-15' }).success).toBe(false);
    expect(captureRequest.safeParse({ target: 'node1', iface: 'eth0', filter: 'icmp $(id)' }).success).toBe(false);
    expect(captureRequest.safeParse({ target: 'node1', iface: 'eth0', ns: '../x' }).success).toBe(false);
    expect(impairmentRequest.safeParse({ target: 'node1', iface: 'eth0' }).success).toBe(false);
    expect(impairmentRequest.safeParse({ target: 'node1', iface: 'eth0', lossPercent: 500 }).success).toBe(false);
  });

  it('quotes what reaches the scripts; one dumpcap writes the ring, the list reads it; a packet is found by time', () => {
    const script = captureScript('abc', "it's", 'eth0', 'icmp');
    const dumpcap = `ip netns exec 'it'\\''s' nice -n 19 dumpcap -i 'eth0' -f 'icmp' -s 2048`;
    // The ring: no tshark reads it back (tshark fell behind the ring and grew with every file it read).
    expect(script).toContain(`${dumpcap} -w '/tmp/packetwalk-capture-abc/cap.pcapng' -b packets:1000 -b files:5 2>`);
    // One capture: the list has no dumpcap (no second packet socket, nothing woken for every packet). The pacer follows
    // the ring's files and hands tshark at most LIST_RATE packets a second; a fresh pair after LIST_PACKETS.
    expect(script.match(/dumpcap -i/g)).toHaveLength(1);
    expect(script).not.toContain('-w -');
    expect(script).toContain(`cat > '/tmp/packetwalk-capture-abc/pacer.py' <<'__PW_PACER'\n${PACER_PY.trim()}\n__PW_PACER\n`);
    expect(script).toContain(
      `nice -n 19 ${pacerCommand("'/tmp/packetwalk-capture-abc/pacer.py'", "'/tmp/packetwalk-capture-abc'", LIST_RATE, LIST_PACKETS)} | nice -n 19 tshark -r - -n -l -t e -P -T ek`,
    );
    expect(PACER_PY).not.toMatch(/^__PW_PACER$/m);
    expect(script).not.toMatch(/tshark -i/);
    expect(detailScript('abc', '1796589852.447225717', 98)).toContain(
      "mergecap -F pcapng -w - cap_*.pcapng 2>/dev/null | tshark -r - -n -Y 'frame.time_epoch == 1796589852.447225717 && frame.len == 98' -T json",
    );
    expect(() => detailScript('abc', "1' || true", 98)).toThrow();
    expect(impairScript({ target: 'node1', ns: '', iface: 'eth0', delayMs: 100, lossPercent: 1 })).toBe(
      "tc qdisc replace dev 'eth0' root netem delay 100ms loss 1%\n",
    );
    expect(impairScript({ target: 'node1', ns: 'pod-a', iface: 'eth0', rateKbit: 800 })).toBe(
      "tc -n 'pod-a' qdisc replace dev 'eth0' root tbf rate 800kbit burst 1600 latency 100ms\n",
    );
  });

  it("calls a kernel without the qdisc the host's limit (current and older kernels' words), anything else a bad request", () => {
    const delay = { target: 'node1', ns: '', iface: 'eth0', delayMs: 100 };
    expect(impairmentRefusal(delay, 'Error: Specified qdisc kind is unknown.\n')).toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('netem (sch_netem)'),
    });
    expect(impairmentRefusal(delay, 'Error: Specified qdisc not found.')).toMatchObject({ code: 'unsupported' });
    expect(impairmentRefusal({ target: 'node1', ns: '', iface: 'eth0', rateKbit: 800 }, 'Error: Specified qdisc kind is unknown.')).toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('tbf (sch_tbf)'),
    });
    expect(impairmentRefusal(delay, 'Cannot find device "eth9"')).toMatchObject({
      code: 'bad-request',
      message: 'tc refused the impairment on eth0: Cannot find device "eth9"',
    });
  });
});
