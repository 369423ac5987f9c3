// Capture sessions without a lab: the list's summary lines (as recorded from `tshark -r - -t e -P -T ek` in a lab
// node), the rate limit to browsers, the row bound, the rows' numbers and times, and how the end of the script
// (which of the ring's dumpcap and the list's tshark ended, and how) becomes a state.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureSession, MAX_ROWS, ROWS_PER_SECOND, killedReason, parseSummaryLine } from '../../../lab-runner/network/capture-session.ts';
import { READY_MARKER } from '../../../lab-runner/network/capture-script.ts';
import type { StreamExec } from '../../../lab-runner/runtime/container-runtime.ts';
import type { CaptureEvent, PacketRow } from '../../../lab-runner/wire/network.ts';

// Recorded from tshark 4.0.17 in a packetwalk/node container (ping on lo, the list of capture-script.ts).
const INDEX = '{"index":{"_index":"packets-2026-12-06","_type":"doc"}}';
const REQUEST =
  '{"timestamp":"1796589852447","no_":"1","time":"1796589852.447225717","source":"127.0.0.1","destination":"127.0.0.1","protocol":"ICMP","length":"98","info":"Echo (ping) request  id=0xde83, seq=1/256, ttl=64"}';
const READY = `\n${READY_MARKER} ring\n\n${READY_MARKER} list\n`;
/** REQUEST as tshark's n-th line of a list pair, `seconds` after the first. */
const request = (n: number, seconds = 0) =>
  REQUEST.replace('"no_":"1"', `"no_":"${n}"`).replace('"time":"1796589852.447225717"', `"time":"${(1796589852 + seconds).toFixed(0)}.447225717"`);

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
      epoch: '1796589852.447225717',
      src: '127.0.0.1',
      dst: '127.0.0.1',
      protocol: 'ICMP',
      length: 98,
      info: 'Echo (ping) request  id=0xde83, seq=1/256, ttl=64',
    });
    // A relative time (the old `-t r` list) is not a capture time: it could not find the packet in the ring.
    expect(parseSummaryLine(REQUEST.replace('1796589852.447225717', '0.000000000e0'))).toBeUndefined();
    expect(parseSummaryLine(INDEX)).toBeUndefined();
    expect(parseSummaryLine('{"timestamp": not json')).toBeUndefined();
  });

  it('is starting until both the ring and the list capture, then running; rows reach watchers; stop closes the stream', async () => {
    vi.useFakeTimers();
    const s = new CaptureSession('lab', { id: 'c1', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    const events: CaptureEvent[] = [];
    s.watch((e) => events.push(e));
    s.attach(stream);
    expect(s.view.state).toBe('starting');
    stdout.write(`\n${READY_MARKER} ring\n`);
    expect(s.view.state).toBe('starting');
    stdout.write(`\n${READY_MARKER} list\n${INDEX}\n${REQUEST}\n`);
    expect(s.view.state).toBe('running');
    vi.advanceTimersByTime(250);
    expect(events.filter((e) => e.type === 'packets').flatMap((e) => (e.type === 'packets' ? e.rows : []))).toHaveLength(1);
    s.stop('test');
    expect(stream.close).toHaveBeenCalled();
    stdout.write('\n__pw_capture_end 0 ring \n');
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
    for (let i = 1; i <= n; i++) text += `${request(i)}\n`;
    stdout.write(text);
    vi.advanceTimersByTime(1_000);
    expect(s.view.seen).toBe(n);
    expect(sent.length).toBeLessThanOrEqual(ROWS_PER_SECOND);
    expect(s.view.skipped).toBe(n - ROWS_PER_SECOND);
    expect(s.rows).toHaveLength(MAX_ROWS);
    expect(s.rows.at(-1)!.no).toBe(n);
    s.stop('done');
  });

  it('a capture that ends on its own with an error is failed, with its message', async () => {
    const s = new CaptureSession('lab', { id: 'c3', target: 'node1', ns: '', iface: 'nope0' });
    const { stream, stdout, exit } = fakeStream();
    s.attach(stream);
    // Recorded: the script's end line for an interface that does not exist.
    stdout.end(READY + '\n__pw_capture_end 1 ring dumpcap: There is no device named "nope0". (No such device exists) \n');
    exit(0);
    await s.ended;
    expect(s.view.state).toBe('failed');
    expect(s.view.reason).toBe('dumpcap: There is no device named "nope0". (No such device exists)');
  });

  it("numbers rows by the list's own count, across tshark's restarts at 1, with times from the first packet", () => {
    const s = new CaptureSession('lab', { id: 'c5', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    s.attach(stream);
    // Two list pairs: tshark numbers 1, 2, then 1 again.
    stdout.write(READY + [request(1), request(2, 1), request(1, 3)].map((l) => `${l}\n`).join(''));
    expect(s.rows.map((r) => [r.no, r.time])).toEqual([
      [1, 0],
      [2, 1],
      [3, 3],
    ]);
    // A row's capture time as tshark printed it (nanoseconds, no float rounding) and its length find it in the ring.
    expect(s.locate(3)).toEqual({ epoch: '1796589855.447225717', length: 98 });
    expect(s.locate(4)).toBeUndefined();
    s.stop('done');
  });

  it('finds only the rows it still keeps', () => {
    const s = new CaptureSession('lab', { id: 'c8', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    s.attach(stream);
    let text = READY;
    for (let i = 1; i <= MAX_ROWS + 10; i++) text += `${request(i, i)}\n`;
    stdout.write(text);
    expect(s.locate(10)).toBeUndefined();
    expect(s.locate(11)).toEqual({ epoch: `${1796589852 + 11}.447225717`, length: 98 });
    expect(s.locate(MAX_ROWS + 10)).toEqual({ epoch: `${1796589852 + MAX_ROWS + 10}.447225717`, length: 98 });
    s.stop('done');
  });

  it('a list tshark killed by the node (exit 137: its memory limit) fails the capture and says which process', async () => {
    const s = new CaptureSession('lab', { id: 'c7', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout, exit } = fakeStream();
    s.attach(stream);
    // Recorded: tshark killed with SIGKILL in a lab node, the list's loop ends 137, the ring is stopped after it.
    stdout.end(
      READY +
        "\n__pw_capture_end 137 list Packets captured: 41 /tmp/packetwalk-capture-t1/list.sh: line 8:    17 Exit 1                  nice -n 19 dumpcap -i 'lo' -s 2048 -c 20000 -w -         18 Killed                  | nice -n 19 tshark -r - -n -l -t e -P -T ek \n",
    );
    exit(0);
    await s.ended;
    expect(s.view).toMatchObject({ state: 'failed', reason: killedReason('list') });
    expect(s.view.reason).toMatch(/^tshark \(the packet list\) was killed/);
  });

  it('a capture stopped by the leash is stopped, whichever process ended first', async () => {
    const s = new CaptureSession('lab', { id: 'c9', target: 'node1', ns: '', iface: 'eth0' });
    const { stream, stdout } = fakeStream();
    s.attach(stream);
    stdout.write(READY);
    s.stop('the lab was paused');
    stdout.end('\n__pw_capture_end 130 list \n');
    await s.ended;
    expect(s.view).toMatchObject({ state: 'stopped', reason: 'the lab was paused' });
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
