# --- packetwalk check helpers (prepended at run time; see docs/challenges.md) ---
# Builtins only: checks run every few seconds, and in a lab node every process costs a few milliseconds of CPU.
# __pw_json VAR STRING: set VAR to STRING as a JSON string literal (control characters dropped).
__pw_json() {
  local s=$2
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}
  s=${s//[$'\001'-$'\010'$'\013'-$'\037']/}
  printf -v "$1" '"%s"' "$s"
}
# fail MSG...: show MSG to the learner and stop the check (not passed).
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
# verdict OBSERVED EXPECTED [HINT]: print the structured verdict line; call it last, then exit non-zero.
verdict() {
  local __pw_o __pw_e __pw_h
  __pw_json __pw_o "$1"; __pw_json __pw_e "$2"
  if [ -n "${3:-}" ]; then __pw_json __pw_h "$3"; printf '{"observed":%s,"expected":%s,"hint":%s}\n' "$__pw_o" "$__pw_e" "$__pw_h"
  else printf '{"observed":%s,"expected":%s}\n' "$__pw_o" "$__pw_e"; fi
}
# expect_eq OBSERVED EXPECTED WHAT [HINT]: return 0 when equal, else fail with "WHAT: expected EXPECTED, found OBSERVED".
expect_eq() {
  if [ "$1" = "$2" ]; then return 0; fi
  printf 'FAIL: %s: expected %s, found %s\n' "$3" "$2" "${1:-nothing}"
  verdict "${1:-nothing}" "$2" "${4:-}"
  exit 1
}
# answer NAME: the learner's answer in ~/answers/NAME (first line, carriage returns dropped, trimmed), or nothing.
answer() {
  local f="${PW_ANSWERS_DIR:-/root/answers}/$1" l=
  [ -r "$f" ] || return 0
  IFS= read -r l < "$f" || [ -n "$l" ] || return 0
  l=${l//$'\r'/}
  l=${l#"${l%%[![:space:]]*}"}; l=${l%"${l##*[![:space:]]}"}
  printf '%s\n' "$l"
}
# retry SECONDS CMD...: run CMD until it succeeds or SECONDS pass (for state that settles, like kube-proxy rules).
retry() {
  local deadline=$(( EPOCHSECONDS + $1 )); shift
  until "$@"; do
    [ "$EPOCHSECONDS" -ge "$deadline" ] && return 1
    sleep 1
  done
}
# --- end of helpers ---
# saw_packet IFACE BPF SECONDS [DISPLAY_FILTER] [-- CMD...]: succeed when a packet matching the capture filter BPF
# (pcap-filter syntax, e.g. 'udp port 4789') and, when given, the Wireshark display filter (e.g. 'icmp.type == 8',
# decoded by tshark: 'vxlan && icmp' is an ICMP echo inside VXLAN) crosses IFACE within SECONDS. CMD (e.g. a ping)
# runs once the capture is listening, so nothing is missed. Costs a dumpcap for SECONDS (and one tshark read when a
# display filter is given): give the check a timeout of SECONDS + 10. IFACE in a namespace: PW_NETNS=<name>.
saw_packet() {
  local __pw_if=$1 __pw_bpf=$2 __pw_secs=${3:-5} __pw_disp=${4:-} __pw_f __pw_pid __pw_i __pw_n
  shift $(( $# < 4 ? $# : 4 ))
  [ "${1:-}" = "--" ] && shift
  local -a __pw_ns=()
  [ -n "${PW_NETNS:-}" ] && __pw_ns=(ip netns exec "$PW_NETNS")
  __pw_f=$(mktemp -d /tmp/.pw-saw-XXXXXX) || return 2
  "${__pw_ns[@]}" dumpcap -n -i "$__pw_if" -f "$__pw_bpf" -a "duration:$__pw_secs" -c 1000 -w "$__pw_f/c.pcapng" >/dev/null 2>"$__pw_f/err" &
  __pw_pid=$!
  # dumpcap names its file once it is capturing; wait up to 10 s for that (read -t: a sleep without a process).
  for (( __pw_i = 0; __pw_i < 200; __pw_i++ )); do
    grep -q '^File: ' "$__pw_f/err" 2>/dev/null && break
    kill -0 "$__pw_pid" 2>/dev/null || break
    read -r -t 0.05 <> <(:) 2>/dev/null || true
  done
  if (( $# > 0 )); then "$@" >/dev/null 2>&1; fi
  wait "$__pw_pid" 2>/dev/null
  if [ -n "$__pw_disp" ]; then
    __pw_n=$(tshark -n -r "$__pw_f/c.pcapng" -Y "$__pw_disp" -T fields -e frame.number 2>/dev/null | head -n 1)
  else
    __pw_n=$(tshark -n -r "$__pw_f/c.pcapng" -T fields -e frame.number 2>/dev/null | head -n 1)
  fi
  rm -rf "$__pw_f"
  [ -n "$__pw_n" ]
}
