# --- packetwalk check helpers (prepended at run time; see docs/challenges.md) ---
__pw_json() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/}
  s=$(printf '%s' "$s" | tr -d '\000-\010\013-\037')
  printf '"%s"' "$s"
}
# fail MSG...: show MSG to the learner and stop the check (not passed).
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
# verdict OBSERVED EXPECTED [HINT]: print the structured verdict line; call it last, then exit non-zero.
verdict() {
  printf '{"observed":%s,"expected":%s' "$(__pw_json "$1")" "$(__pw_json "$2")"
  if [ -n "${3:-}" ]; then printf ',"hint":%s' "$(__pw_json "$3")"; fi
  printf '}\n'
}
# expect_eq OBSERVED EXPECTED WHAT [HINT]: return 0 when equal, else fail with "WHAT: expected EXPECTED, found OBSERVED".
expect_eq() {
  if [ "$1" = "$2" ]; then return 0; fi
  printf 'FAIL: %s: expected %s, found %s\n' "$3" "$2" "${1:-nothing}"
  verdict "${1:-nothing}" "$2" "${4:-}"
  exit 1
}
# answer NAME: the learner's answer in ~/answers/NAME (first line, trimmed), or nothing.
answer() {
  local f="${PW_ANSWERS_DIR:-/root/answers}/$1"
  [ -r "$f" ] || return 0
  head -n 1 "$f" | tr -d '\r' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//'
}
# retry SECONDS CMD...: run CMD until it succeeds or SECONDS pass (for state that settles, like kube-proxy rules).
retry() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 1
  done
}
# --- end of helpers ---
