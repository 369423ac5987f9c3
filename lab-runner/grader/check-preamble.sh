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
