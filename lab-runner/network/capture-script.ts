// The capture, as a bash script run through one long-lived exec in the lab node: one capture, two readers of it,
// all at nice 19 so the learner's shell wins the node's CPU:
// - the ring: dumpcap alone writes RING_FILES pcapng files of RING_PACKETS packets each (the download, and where a
//   packet's layer tree is found again). It never dissects and never waits for a reader, so it keeps up with the
//   link and its memory is flat.
// - the list: the pacer (list-pacer.ts) follows the ring's files as dumpcap writes them and hands tshark -r - at most
//   LIST_RATE packets a second, which prints each one's summary columns as one JSON line (-P -T ek). The list is a
//   sample at high rates, and being read from the ring, every listed packet is in the ring until it rotates out.
//   tshark 4.0 keeps about 0.75 KB for every packet it has read (its -M session reset leaks more than it frees:
//   measured, it was OOM-killed sooner with it), so the pacer | tshark pair is restarted every LIST_PACKETS listed
//   packets (the fresh pacer resumes where the last one stopped), which bounds its memory.
// The list used to be a second dumpcap of its own (`dumpcap -w - | pacer | tshark`): a second packet socket and a
// dumpcap and pacer woken for every packet (see list-pacer.ts for what that cost a neighbour's terminal).
// A listed packet is found in the ring by its kernel timestamp and length (detailScript). The exec's stdin is the
// leash: when the server closes it (stop, tab closed, lab paused or reset, server gone) the script kills both. When
// either ends first, the other is stopped and the end line says which one ended, its exit code and its last words.
import { LIST_RATE, PACER_PY, pacerCommand } from './list-pacer.ts';

export const RING_PACKETS = 1000;
export const RING_FILES = 5;
/** Bytes kept per packet (VXLAN frames at 1500 MTU are 1550). */
export const SNAPLEN = 2048;
/** Packets the list's tshark decodes before a fresh pacer | tshark takes over (bounds tshark's memory). */
export const LIST_PACKETS = 20_000;

/** Printed on stdout, followed by "ring" or "list", when that part has begun (dumpcap captures; the pacer found the
 *  ring's first file). */
export const READY_MARKER = '__pw_capture_ready';
/** The script's last line: "__pw_capture_end <code> <ring|list> <last words>". */
export const END_MARKER = '__pw_capture_end';

export const captureDir = (id: string) => `/tmp/packetwalk-capture-${id}`;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** What each part prints on stderr when it has begun: dumpcap's "Capturing on 'eth0'", the pacer's own line. */
const READY_LINE = { ring: 'Capturing on', list: 'Listing the ring' } as const;

/** Copies a part's stderr to a file, but for its ready line, which becomes the ready marker on stdout, and the
 *  lines that would push the last words out of the tail (the ring's "File: …", one per file; the root warning). */
function stderrReader(dir: string, which: 'ring' | 'list'): string {
  const file = q(`${dir}/${which}.err`);
  return `>(r=; while IFS= read -r l; do case $l in "${READY_LINE[which]}"*) [ -n "$r" ] || { r=1; printf '\\n${READY_MARKER} ${which}\\n'; } ;; *"File: "*|*"Packets: "*|*"Running as user"*) ;; *) printf '%s\\n' "$l" >> ${file} ;; esac; done)`;
}

/** Runs in the node's namespace; the capture itself in `ns` when set. Prints the end line last. */
export function captureScript(id: string, ns: string, iface: string, filter: string | undefined): string {
  const dir = captureDir(id);
  const inNs = ns ? `ip netns exec ${q(ns)} ` : '';
  const dumpcap = `${inNs}nice -n 19 dumpcap -i ${q(iface)} ${filter ? `-f ${q(filter)} ` : ''}-s ${SNAPLEN}`;
  return (
    [
      'exec 3<&0 </dev/null',
      `rm -rf ${q(dir)}; mkdir -p ${q(dir)}`,
      `cat > ${q(`${dir}/pacer.py`)} <<'__PW_PACER'`,
      PACER_PY.trim(),
      '__PW_PACER',
      // The list's loop, in its own session (setsid) so that one kill of its process group ends whichever pair runs.
      // bash runs a trap only after the foreground pipeline ends: then it exits instead of starting another pair.
      `cat > ${q(`${dir}/list.sh`)} <<'__PW_LIST'`,
      `trap 'exit 130' INT TERM`,
      'while :; do',
      `  nice -n 19 ${pacerCommand(q(`${dir}/pacer.py`), q(dir), LIST_RATE, LIST_PACKETS)} | nice -n 19 tshark -r - -n -l -t e -P -T ek`,
      '  s=("${PIPESTATUS[@]}")',
      // A killed tshark (the pacer then ends on the broken pipe) says more than the pacer; the pacer's quota (exit 0)
      // starts a fresh pair; otherwise the pacer's error comes first (tshark then only saw its input end).
      '  [ "${s[1]}" -gt 128 ] && exit "${s[1]}"',
      '  [ "${s[0]}" = 0 ] && continue',
      '  [ "${s[0]}" = 4 ] && exit "${s[1]}"',
      '  exit "${s[0]}"',
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
 * an empty array when the packet rotated out of the ring. Listed packets carry no ring frame number (the list's
 * tshark numbers its own input): the kernel's timestamp, which the list read from the ring, is what finds it.
 */
export function detailScript(id: string, epoch: string, length: number): string {
  if (!EPOCH.test(epoch) || !Number.isInteger(length) || length < 0) throw new Error(`not a packet time and length: ${epoch} ${length}`);
  return (
    [
      `cd ${q(captureDir(id))} 2>/dev/null && ls cap_*.pcapng >/dev/null 2>&1 || exit 0`,
      `mergecap -F pcapng -w - cap_*.pcapng 2>/dev/null | tshark -r - -n -Y 'frame.time_epoch == ${epoch} && frame.len == ${length}' -T json 2>/dev/null`,
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
