// Capture sessions without a lab: tshark's summary lines (as recorded from `tshark -P -T ek` in a lab node), the
// rate limit to browsers, the row bound, and how the end of the script becomes a state.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureSession, FELL_BEHIND, KILLED, MAX_ROWS, ROWS_PER_SECOND, parseSummaryLine } from '../../../lab-runner/network/capture-session.ts';
import { READY_MARKER, RING_PACKETS } from '../../../lab-runner/network/capture-script.ts';
import type { StreamExec } from '../../../lab-runner/runtime/container-runtime.ts';
import type { CaptureEvent, PacketRow } from '../../../lab-runner/wire/network.ts';

// Recorded from tshark 4.0.17 in a packetwalk/node container (ping across the lab network).
const INDEX = '{"index":{"_index":"packets-2026-12-06","_type":"doc"}}';
const REQUEST =
  '{"timestamp":"1796575193584","no_":"1","time":"0.000000000","source":"10.200.87.66","destination":"10.200.87.67","protocol":"ICMP","length":"98","info":"Echo (ping) request  id=0x5713, seq=1/256, ttl=64"}';

function fakeStream() {
  const stdout = new PassThrough();
  let exit!: (code: number) => void;
  const exited = new Promise<number>((r) => (exit = r));
  const stream: StreamExec = { id: 'x', stdin: new PassThrough(), stdout, stderr: new PassThrough(), exited, close: vi.fn(() => exit(0)) };
  return { stream, stdout, exit };
}

afterEach(() => vi.useRealTimers());

describe('capture session', () => {
  it("parses tshark's ek summary lines and ignores index lines and noise", () => {
    expect(parseSummaryLine(REQUEST)).toEqual({
      no: 1,
      time: 0,
      src: '10.200.87.66',
      dst: '10.200.87.67',
      protocol: 'ICMP',
      length: 98,
      info: 'Echo (ping) request  id=0x5713, seq=1/256, ttl=64',
    });
    expect(parseSummaryLine(INDEX)).toBeUndefined();
    expect(parseSummaryLine('{"timestamp": not json')).toBeUndefined();
  });

  it('is starting until tshark captures, then running; rows reach watchers; stop closes the stream', async () => {
    vi.useFakeTimers();
    const s = new CaptureSession('lab', { id: 'c1', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    const events: CaptureEvent[] = [];
    s.watch((e) => events.push(e));
    s.attach(stream);
    expect(s.view.state).toBe('starting');
    stdout.write(`\n${READY_MARKER}\n${INDEX}\n${REQUEST}\n`);
    expect(s.view.state).toBe('running');
    vi.advanceTimersByTime(250);
    expect(events.filter((e) => e.type === 'packets').flatMap((e) => (e.type === 'packets' ? e.rows : []))).toHaveLength(1);
    s.stop('test');
    expect(stream.close).toHaveBeenCalled();
    stdout.write('\n__pw_capture_end 0 tshark:\n');
    stdout.end();
    await vi.runAllTimersAsync();
    await s.ended;
    expect(s.view).toMatchObject({ state: 'stopped', reason: 'test', seen: 1 });
  });

  it('sends at most ROWS_PER_SECOND rows a second to browsers, counts the rest as skipped, and keeps at most MAX_ROWS', () => {
    vi.useFakeTimers();
    const s = new CaptureSession('lab', { id: 'c2', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    const sent: PacketRow[] = [];
    s.watch((e) => e.type === 'packets' && sent.push(...e.rows));
    s.attach(stream);
    const n = MAX_ROWS + 3_000;
    let text = '';
    for (let i = 1; i <= n; i++) text += `${REQUEST.replace('"no_":"1"', `"no_":"${i}"`)}\n`;
    stdout.write(text);
    vi.advanceTimersByTime(1_000);
    expect(s.view.seen).toBe(n);
    expect(sent.length).toBeLessThanOrEqual(ROWS_PER_SECOND);
    expect(s.view.skipped).toBe(n - ROWS_PER_SECOND);
    expect(s.rows).toHaveLength(MAX_ROWS);
    expect(s.rows.at(-1)!.no).toBe(n);
    s.stop('done');
  });

  it('a tshark that ends on its own with an error is failed, with its message', async () => {
    const s = new CaptureSession('lab', { id: 'c3', target: 'node1', ns: '', iface: 'nope0' });
    const { stream, stdout, exit } = fakeStream();
    s.attach(stream);
    stdout.end("\n__pw_capture_end 1 tshark: The capture session could not be initiated on interface 'nope0' (No such device exists).\n");
    exit(0);
    await s.ended;
    expect(s.view.state).toBe('failed');
    expect(s.view.reason).toMatch(/No such device/);
  });

  it("numbers rows across the ring's files (tshark 4.0 starts again at 1 in each file)", () => {
    const s = new CaptureSession('lab', { id: 'c5', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    s.attach(stream);
    const raw = [RING_PACKETS - 1, RING_PACKETS, 1, 2, RING_PACKETS, 1];
    stdout.write(raw.map((n) => `${REQUEST.replace('"no_":"1"', `"no_":"${n}"`)}\n`).join(''));
    expect(s.rows.map((r) => r.no)).toEqual([RING_PACKETS - 1, RING_PACKETS, RING_PACKETS + 1, RING_PACKETS + 2, 2 * RING_PACKETS, 2 * RING_PACKETS + 1]);
    s.stop('done');
  });

  it('a tshark that ends because the ring dropped a file it had not read yet says it fell behind', async () => {
    const s = new CaptureSession('lab', { id: 'c6', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout, exit } = fakeStream();
    s.attach(stream);
    // The script's end line as recorded at 10k packets/s: exit code 0, then stderr's last lines joined.
    stdout.end(
      '\n__pw_capture_end 0  ** (tshark:16) 19:44:39.446554 [Main MESSAGE] -- File: "/tmp/c/cap_00007_20261206194439.pcapng" tshark: The file "/tmp/c/cap_00007_20261206194439.pcapng" doesn\'t exist. 6000 packets captured \n',
    );
    exit(0);
    await s.ended;
    expect(s.view).toMatchObject({ state: 'failed', reason: FELL_BEHIND });
  });

  it('a tshark killed by the node (exit 137: its memory limit) says so instead of a bare code', async () => {
    const s = new CaptureSession('lab', { id: 'c7', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout, exit } = fakeStream();
    s.attach(stream);
    stdout.end('\n__pw_capture_end 137 \n');
    exit(0);
    await s.ended;
    expect(s.view).toMatchObject({ state: 'failed', reason: KILLED });
  });

  it('stops by itself when nobody watches it', () => {
    vi.useFakeTimers();
    const s = new CaptureSession('lab', { id: 'c4', target: 'node1', ns: '', iface: 'eth0' });
    const { stream } = fakeStream();
    s.attach(stream);
    const unwatch = s.watch(() => {});
    unwatch();
    vi.advanceTimersByTime(10_001);
    expect(stream.close).toHaveBeenCalled();
    expect(s.view.reason).toMatch(/nobody was watching/);
  });
});
