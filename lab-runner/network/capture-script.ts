// The capture, as a bash script run through one long-lived exec in the lab node. tshark (Debian's, with Wireshark's
// dissectors) writes the packets to a ring of pcapng files (the download) and prints each packet's summary columns
// as one JSON line (-P -T ek). It runs at nice 19, so the learner's shell wins the node's CPU. The exec's stdin is the
// leash: when the server closes it (stop, tab closed, lab paused or reset, server gone) the script kills tshark.
//
// Ring: RING_FILES files of RING_PACKETS packets each, so frame N lives in file ceil(N / RING_PACKETS) at position
// ((N - 1) mod RING_PACKETS) + 1: that is how a packet's layer tree is found again (detailScript).
export const RING_PACKETS = 1000;
export const RING_FILES = 5;
/** Bytes kept per packet (VXLAN frames at 1500 MTU are 1550). */
export const SNAPLEN = 2048;

/** Printed on stdout when the capture has begun. */
export const READY_MARKER = '__pw_capture_ready';

export const captureDir = (id: string) => `/tmp/packetwalk-capture-${id}`;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs in the node's namespace; the capture itself in `ns` when set. Prints "__pw_capture_end <code>" last. */
export function captureScript(id: string, ns: string, iface: string, filter: string | undefined): string {
  const dir = captureDir(id);
  const inNs = ns ? `ip netns exec ${q(ns)} ` : '';
  return (
    [
      'exec 3<&0 </dev/null',
      `rm -rf ${q(dir)}; mkdir -p ${q(dir)}`,
      // tshark says "Capturing on 'eth0'" on stderr once dumpcap really captures (its start-up, at nice 19 on a busy
      // node, can take seconds): that line becomes the ready marker on stdout; the rest of stderr goes to a file,
      // but for the ring's "File: …" messages (one per file), which would push tshark's last words out of the tail.
      `${inNs}nice -n 19 tshark -i ${q(iface)} ${filter ? `-f ${q(filter)} ` : ''}-n -l -s ${SNAPLEN} -w ${q(`${dir}/cap.pcapng`)} -b packets:${RING_PACKETS} -b files:${RING_FILES} -P -T ek 2> >(while IFS= read -r l; do case $l in "Capturing on"*) printf '\n${READY_MARKER}\n' ;; *"[Main MESSAGE] -- File:"*) ;; *) printf '%s\n' "$l" >> ${q(`${dir}/stderr`)} ;; esac; done) &`,
      'pid=$!',
      // The leash: EOF (or anything) on stdin stops the capture.
      '{ read -r -u 3 _; kill -INT "$pid" 2>/dev/null; sleep 1; kill -KILL "$pid" 2>/dev/null; } &',
      'leash=$!',
      'wait "$pid"; rc=$?',
      'kill "$leash" 2>/dev/null',
      // The stderr reader may still be writing tshark's last lines.
      'sleep 0.3',
      `printf '\\n__pw_capture_end %s %s\\n' "$rc" "$(grep -v -e 'Running as user' -e '^$' ${q(`${dir}/stderr`)} | tail -n 3 | tr '\\n' ' ')"`,
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

/** Prints frame N's layers (tshark -T json) from the ring file that holds it; nothing when it rotated out. */
export function detailScript(id: string, frame: number): string {
  const file = Math.ceil(frame / RING_PACKETS);
  const pos = ((frame - 1) % RING_PACKETS) + 1;
  const pattern = `${captureDir(id)}/cap_${String(file).padStart(5, '0')}_*.pcapng`;
  return `for f in ${pattern}; do [ -e "$f" ] && tshark -r "$f" -n -Y 'frame.number == ${pos}' -T json 2>/dev/null; done\n`;
}

/** The ring's files merged into one pcapng, base64 on stdout (exec output is text). */
export function downloadScript(id: string): string {
  return `cd ${q(captureDir(id))} 2>/dev/null && ls cap_*.pcapng >/dev/null 2>&1 && mergecap -F pcapng -w - cap_*.pcapng 2>/dev/null | base64 -w 0\n`;
}

export function removeScript(id: string): string {
  return `rm -rf ${q(captureDir(id))}\n`;
}
