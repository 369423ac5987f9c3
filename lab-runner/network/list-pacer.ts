// The list's pacer: a small Python filter between the list's dumpcap and tshark. Decoding is what costs CPU (tshark
// spends about 130 µs per packet with -T ek: at 10,000 packets/s a whole core, which slowed other labs' terminals on
// a 2-core host), while the browser is sent at most 500 rows a second. So the pacer passes at most LIST_RATE (that same 500) packets
// a second on to tshark and drops the rest: the list is a sample (the page says so), tshark's CPU is bounded, and the
// rows stay current (a back-pressured pipe would instead hold seconds of old packets in the socket buffer).
// It reads only pcapng's block framing (type and total length; every block but Enhanced Packet Blocks is passed on
// as is), never a packet's contents: decoding stays tshark's. After LIST_PACKETS packets passed it exits 0, which
// ends this dumpcap | pacer | tshark pair so that a fresh tshark (with fresh memory) takes over.
// Written with double quotes only: the shell passes it in single quotes.
// Exit codes: 0 the quota is done; 3 its input ended (dumpcap stopped or failed); 4 tshark went away.

/** Packets a second handed to tshark, at most. */
export const LIST_RATE = 500;

const PACER = `
import struct, sys, time
rate, quota = int(sys.argv[1]), int(sys.argv[2])
src, dst = sys.stdin.buffer, sys.stdout.buffer
order = "<"
def take(n):
    b = src.read(n)
    if len(b) < n:
        sys.exit(3)
    return b
window, sent_in_window, passed = time.monotonic(), 0, 0
try:
    while passed < quota:
        head = take(8)
        kind = struct.unpack(order + "I", head[:4])[0]
        if kind == 0x0A0D0D0A:
            magic = take(4)
            order = "<" if magic == b"\\x4d\\x3c\\x2b\\x1a" else ">"
            block = head + magic + take(struct.unpack(order + "I", head[4:])[0] - 12)
        else:
            block = head + take(struct.unpack(order + "I", head[4:])[0] - 8)
        if kind == 6:
            now = time.monotonic()
            if now - window >= 1:
                window, sent_in_window = now, 0
            if sent_in_window >= rate:
                continue
            sent_in_window += 1
            passed += 1
        dst.write(block)
        dst.flush()
except BrokenPipeError:
    sys.exit(4)
`;

/** The pacer as a shell command (python3 is in the node image). */
export function pacerCommand(rate: number, quota: number): string {
  return `python3 -c '${PACER.trim()}' ${rate} ${quota}`;
}
