// The capture, as a bash script run through one long-lived exec in the lab node. Two independent captures of the
// same interface and filter, both at nice 19 so the learner's shell wins the node's CPU:
// - the ring: dumpcap alone writes RING_FILES pcapng files of RING_PACKETS packets each (the download, and where a
//   packet's layer tree is found again). It never dissects, so it keeps up with the link and its memory is flat.
// - the list: dumpcap | tshark -r - prints each packet's summary columns as one JSON line (-P -T ek). When tshark is
//   slower than the link, the pipe fills, that dumpcap stops reading and the kernel drops packets from ITS socket
//   only: the list becomes a sample and the ring stays complete. A pacer between them (list-pacer.ts) hands tshark
//   at most LIST_RATE packets a second, which bounds its CPU. tshark 4.0 keeps about 0.75 KB for every packet it
//   has read (its -M session reset leaks more than it frees: measured, it was OOM-killed sooner with it), so the pair
//   is restarted every LIST_PACKETS captured packets, which bounds its memory.
// Both sockets get the same kernel timestamp for a packet (the skb is stamped once before it reaches every packet
// tap; measured equal to the nanosecond on a veth, both directions), so a listed packet is found in the ring by its
// time and length (detailScript). The exec's stdin is the leash: when the server closes it (stop, tab closed, lab
// paused or reset, server gone) the script kills both. When either ends first, the other is stopped and the end line
// says which one ended, its exit code and its last words.
import { LIST_RATE, pacerCommand } from './list-pacer.ts';

export const RING_PACKETS = 1000;
export const RING_FILES = 5;
/** Bytes kept per packet (VXLAN frames at 1500 MTU are 1550). */
export const SNAPLEN = 2048;
/** Packets the list's tshark decodes before a fresh dumpcap | pacer | tshark takes over (bounds tshark's memory). */
export const LIST_PACKETS = 20_000;

/** Printed on stdout, followed by "ring" or "list", when that capture has begun. */
export const READY_MARKER = '__pw_capture_ready';
/** The script's last line: "__pw_capture_end <code> <ring|list> <last words>". */
export const END_MARKER = '__pw_capture_end';

export const captureDir = (id: string) => `/tmp/packetwalk-capture-${id}`;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Copies a capture's stderr to a file, but for "Capturing on …", which becomes the ready marker on stdout, and the
 *  lines that would push the last words out of the tail (the ring's "File: …", one per file; the root warning). */
function stderrReader(dir: string, which: 'ring' | 'list'): string {
  const file = q(`${dir}/${which}.err`);
  return `>(r=; while IFS= read -r l; do case $l in "Capturing on"*) [ -n "$r" ] || { r=1; printf '\\n${READY_MARKER} ${which}\\n'; } ;; *"File: "*|*"Packets: "*|*"Running as user"*) ;; *) printf '%s\\n' "$l" >> ${file} ;; esac; done)`;
}

/** Runs in the node's namespace; the captures themselves in `ns` when set. Prints the end line last. */
export function captureScript(id: string, ns: string, iface: string, filter: string | undefined): string {
  const dir = captureDir(id);
  const inNs = ns ? `ip netns exec ${q(ns)} ` : '';
  const dumpcap = `${inNs}nice -n 19 dumpcap -i ${q(iface)} ${filter ? `-f ${q(filter)} ` : ''}-s ${SNAPLEN}`;
  return (
    [
      'exec 3<&0 </dev/null',
      `rm -rf ${q(dir)}; mkdir -p ${q(dir)}`,
      // The list's loop, in its own session (setsid) so that one kill of its process group ends whichever pair runs.
      // bash runs a trap only after the foreground pipeline ends: then it exits instead of starting another pair.
      `cat > ${q(`${dir}/list.sh`)} <<'__PW_LIST'`,
      `trap 'exit 130' INT TERM`,
      'while :; do',
      `  ${dumpcap} -w - | ${pacerCommand(LIST_RATE, LIST_PACKETS)} | nice -n 19 tshark -r - -n -l -t e -P -T ek`,
      '  s=("${PIPESTATUS[@]}")',
      // A killed tshark (its dumpcap then dies of the broken pipe) says more than its dumpcap; the pacer's quota
      // (exit 0) starts a fresh pair; otherwise dumpcap's error (no such interface) comes first, as the pacer and
      // tshark then only saw their input end.
      '  [ "${s[2]}" -gt 128 ] && exit "${s[2]}"',
      '  [ "${s[1]}" = 0 ] && continue',
      '  [ "${s[0]}" = 0 ] || [ "${s[0]}" = 141 ] || exit "${s[0]}"',
      '  [ "${s[2]}" = 0 ] || exit "${s[2]}"',
      '  exit "${s[1]}"',
      'done',
      '__PW_LIST',
      `${dumpcap} -w ${q(`${dir}/cap.pcapng`)} -b packets:${RING_PACKETS} -b files:${RING_FILES} 2> ${stderrReader(dir, 'ring')} &`,
      'ring=$!',
      `setsid bash ${q(`${dir}/list.sh`)} 2> ${stderrReader(dir, 'list')} &`,
      'list=$!',
      // Stops both: dumpcap and tshark end on SIGINT (dumpcap finishes the pcapng file), SIGKILL a second later.
      'stop_all() { kill -INT -- "$ring" "-$list" 2>/dev/null; sleep 1; kill -KILL -- "$ring" "-$list" 2>/dev/null; }',
      // The leash: EOF (or anything) on stdin stops the capture.
      '{ read -r -u 3 _; stop_all; } &',
      'leash=$!',
      'wait -n -p first "$ring" "$list"; rc=$?',
      'if [ "$first" = "$ring" ]; then which=ring; else which=list; fi',
      'stop_all &',
      'wait "$ring" "$list" 2>/dev/null',
      'kill "$leash" 2>/dev/null',
      // The stderr readers may still be writing the last lines.
      'sleep 0.3',
      `printf '\\n${END_MARKER} %s %s %s\\n' "$rc" "$which" "$(grep -v -e '^$' -e '^Packets captured' -e '^Packets received' ${q(dir)}/"$which".err 2>/dev/null | tail -n 3 | tr '\\n' ' ')"`,
    ].join('\n') + '\n'
  );
}

/**
 * Compiles the filter for the interface without capturing (dumpcap -d prints the BPF program; it exits 0 even when
 * the filter does not compile, so the program's first instruction "(000)" is what says yes). The learner sees pcap's
 * own message otherwise.
 */
export function checkFilterScript(ns: string, iface: string, filter: string): string {
  const inNs = ns ? `ip netns exec ${q(ns)} ` : '';
  return (
    [
      `out=$(${inNs}dumpcap -d -i ${q(iface)} -f ${q(filter)} 2>&1)`,
      'case $out in *"(000)"*) exit 0 ;; esac',
      `printf '%s\n' "$out" | grep -v -e 'Running as user' -e 'Capturing on' -e '^$' | head -n 3`,
      'exit 1',
    ].join('\n') + '\n'
  );
}

/** A packet's time as tshark prints it with -t e (seconds.nanoseconds since the epoch). */
export const EPOCH = /^\d{1,12}\.\d{1,9}$/;

/**
 * Prints the layers (tshark -T json) of the ring's packets with this capture time and length, the first one first;
 * an empty array when the packet rotated out of the ring. Listed packets carry no ring frame number (the list is its
 * own capture): the kernel's timestamp, the same in both, is what finds it.
 */
export function detailScript(id: string, epoch: string, length: number): string {
  if (!EPOCH.test(epoch) || !Number.isInteger(length) || length < 0) throw new Error(`not a packet time and length: ${epoch} ${length}`);
  const find = `mergecap -F pcapng -w - cap_*.pcapng 2>/dev/null | tshark -r - -n -Y 'frame.time_epoch == ${epoch} && frame.len == ${length}' -T json 2>/dev/null`;
  // The list's pipe can be quicker than the ring's file: dumpcap writes its newest packets out a moment later.
  return (
    [
      `cd ${q(captureDir(id))} 2>/dev/null && ls cap_*.pcapng >/dev/null 2>&1 || exit 0`,
      `out=$(${find})`,
      'case $out in *_source*) ;; *) sleep 1; out=$(' + find + ') ;; esac',
      `printf '%s\n' "$out"`,
    ].join('\n') + '\n'
  );
}

/** The ring's files merged into one pcapng, base64 on stdout (exec output is text). */
export function downloadScript(id: string): string {
  return `cd ${q(captureDir(id))} 2>/dev/null && ls cap_*.pcapng >/dev/null 2>&1 && mergecap -F pcapng -w - cap_*.pcapng 2>/dev/null | base64 -w 0\n`;
}

export function removeScript(id: string): string {
  return `rm -rf ${q(captureDir(id))}\n`;
}
