// The list's pacer: a small Python program that follows the ring's pcapng files as dumpcap writes them and hands
// tshark a paced sample of their packets. There is one capture (the ring's dumpcap, one packet socket); the list
// is read from its files, as Wireshark reads the file its own dumpcap writes.
// Why not a second dumpcap piped into the list (the design before): `dumpcap -w -` writes every packet to the pipe
// at once, so at 10,000 packets/s that dumpcap and the pacer reading it each woke ~9,300 times a second (measured
// with /proc/<pid>/status in a lab node) and, with tshark, cost ~150 ms of CPU a second: enough to lift another
// lab's terminal echo p99 by ~17 ms on a 2-core host. The ring's dumpcap writes its file in chunks (~50 writes and
// ~40 wakeups a second at that rate); this pacer wakes ~20 times a second and reads what was written since.
// Decoding is what costs most (tshark spends about 130 µs per packet with -T ek): the pacer passes tshark at most
// LIST_RATE packets a second (what the browser is sent), spread evenly over what it read, and drops the rest: the
// list is a sample (the page says so) and tshark's CPU is bounded. It reads only pcapng's block framing (type and
// total length), never a packet's contents: decoding stays tshark's. tshark gets the first file's Section Header
// and Interface Description Blocks once, then Enhanced Packet Blocks only (every ring file starts with the same
// SHB and IDB, and ends with statistics tshark does not need).
// Ring files are named cap_<5-digit number>_<time>.pcapng; dumpcap closes a file before it creates the next, so
// once the next one exists, what is left of the current one is already written. A file rotated away while open
// stays readable through its descriptor; one rotated away before it was opened is skipped (the list is a sample).
// The price: the list trails the wire by dumpcap's file writes (libpcap hands dumpcap a block of packets after up
// to 250 ms, dumpcap flushes its file on its own timer): 0.3-0.6 s at 1 packet/s, measured. From a ping to its row
// at the server (with the server's 200 ms batching) p50 ~0.7 s, max ~0.95 s; ~0.2 s with the second dumpcap.
// After LIST_PACKETS packets passed, it saves where it is (list.pos) and exits 0: that ends this pacer | tshark pair,
// and a fresh pair (fresh tshark memory) resumes from that file and offset, so no packet is lost at the handover.
// Exit codes: 0 the quota is done; 3 the capture's directory is gone; 4 tshark went away; 130 stopped (SIGINT);
// 1 with a message: the ring's file is not pcapng.

/** Packets a second handed to tshark, at most. */
export const LIST_RATE = 500;
/** Seconds between looks at the ring when there was nothing new. */
export const POLL_SECONDS = 0.05;

export const PACER_PY = `
import os, signal, struct, sys, time
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
rate, quota, ring = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
POS = os.path.join(ring, "list.pos")
SHB, IDB, EPB = 0x0A0D0D0A, 1, 6
out = sys.stdout.buffer

def ring_files():
    try:
        names = os.listdir(ring)
    except FileNotFoundError:
        sys.exit(3)
    return [(int(n.split("_")[1]), n) for n in names if n.startswith("cap_") and n.endswith(".pcapng")]

def after(num):
    """The ring file after number num, if dumpcap has made it (its numbers wrap at 100000)."""
    later = [((n - num) % 100000, (n, name)) for n, name in ring_files() if 0 < (n - num) % 100000 < 50000]
    return min(later)[1] if later else None

def emit(parts):
    try:
        out.write(b"".join(parts))
        out.flush()
    except BrokenPipeError:
        sys.exit(4)

def open_file(name):
    try:
        return os.open(os.path.join(ring, name), os.O_RDONLY)
    except FileNotFoundError:
        return None

# Where to start: where the previous pacer stopped; after it when that file is gone; else the ring's first file.
start, fd = None, None
try:
    saved_name, saved_offset = open(POS).read().split()
    start = (int(saved_name.split("_")[1]), saved_name), int(saved_offset)
except (OSError, ValueError):
    pass
while fd is None:
    if start is None:
        files = sorted(ring_files())
        start = (files[0], 0) if files else None
    if start is not None:
        fd = open_file(start[0][1])
        if fd is None:
            later = after(start[0][0])
            start = (later, 0) if later else None
    if fd is None:
        time.sleep(${POLL_SECONDS})
(num, name), offset = start

# The file's SHB and IDB (dumpcap writes them when it opens the file) go to tshark once.
while True:
    head = os.pread(fd, 65536, 0)
    order = "<" if head[8:12] == b"\\x4d\\x3c\\x2b\\x1a" else ">"
    at, header = 0, []
    while at + 8 <= len(head):
        kind, length = struct.unpack_from(order + "II", head, at)
        if kind not in (SHB, IDB) or length < 12 or at + length > len(head):
            break
        header.append(head[at:at + length])
        at += length
    if len(header) >= 2:
        break
    time.sleep(${POLL_SECONDS})
sys.stderr.write("Listing the ring from " + name + "\\n")
sys.stderr.flush()
emit(header)
pos = max(offset, at)
os.lseek(fd, pos, os.SEEK_SET)

buf, passed = b"", 0
tokens, last = rate / 5, time.monotonic()
while passed < quota:
    chunk = os.read(fd, 1 << 20)
    if chunk:
        buf = buf + chunk if buf else chunk
        now = time.monotonic()
        tokens, last = min(rate / 5, tokens + (now - last) * rate), now
        # The complete blocks read so far (the last one may still be half written) and which are packets.
        at, packets, end = 0, [], len(buf)
        while at + 8 <= end:
            kind, length = struct.unpack_from(order + "II", buf, at)
            if length < 12:
                sys.exit("not a pcapng block at byte %d of %s" % (pos + at, name))
            if at + length > end:
                break
            if kind == EPB:
                packets.append((at, length))
            at += length
        take = min(int(tokens), len(packets))
        if take >= quota - passed:
            # The last packets of this pacer's quota: the next ones are the next pacer's, from here.
            take = quota - passed
            picked = packets[:take]
            at = picked[-1][0] + picked[-1][1] if picked else 0
        else:
            step = len(packets) / take if take else 0
            picked = [packets[int(i * step)] for i in range(take)]
        if picked:
            emit([buf[a:a + n] for a, n in picked])
            tokens -= take
            passed += take
        pos += at
        buf = buf[at:]
        continue
    following = after(num)
    if following is None or os.fstat(fd).st_size > pos + len(buf):
        time.sleep(${POLL_SECONDS})
        continue
    # This file is complete and read: on to the next one, or the one after it if dumpcap already rotated it away.
    os.close(fd)
    fd = None
    while fd is None:
        (num, name), buf, pos = following, b"", 0
        fd = open_file(name)
        while fd is None and (following := after(num)) is None:
            time.sleep(${POLL_SECONDS})

with open(POS + ".tmp", "w") as f:
    f.write("%s %d" % (name, pos))
os.replace(POS + ".tmp", POS)
`;

/** The pacer as a shell command, its source at `script` (written by capture-script.ts; python3 is in the node image). */
export function pacerCommand(script: string, ring: string, rate: number, quota: number): string {
  return `python3 ${script} ${rate} ${quota} ${ring}`;
}
