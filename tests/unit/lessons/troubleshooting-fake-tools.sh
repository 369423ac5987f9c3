# Fake node tools for running troubleshooting-by-hand's setup without a lab (see troubleshooting-setup-draws.test.ts).
# Bash functions, not programs: the setup runs ~90 times. `ip` keeps, per namespace, the addresses (per device) and
# routes it was given and answers a duplicate as the kernel does; `shuf` returns the PW_DRAW-th rotation of its domain
# and records the domain it was asked to draw from in $ROOT/shuf-domains.
declare -A __addr __route __netns
ip() {
  local ns=root
  while [ $# -gt 0 ]; do case $1 in -n) ns=$2; shift 2 ;; -o|-4|-br) shift ;; *) break ;; esac; done
  local obj=$1 verb=$2; shift 2
  case "$obj $verb" in
    "netns add") [ -z "${__netns[$1]:-}" ] || { echo "Cannot create namespace file \"/run/netns/$1\": File exists" >&2; return 1; }; __netns[$1]=1 ;;
    "netns exec"|"link add"|"link set") return 0 ;;
    "addr add") local key="$ns|$1|$3"
      [ -z "${__addr[$key]:-}" ] || { echo "RTNETLINK answers: File exists" >&2; return 2; }; __addr[$key]=1 ;;
    "addr show") local k; for k in "${!__addr[@]}"; do
        IFS='|' read -r n a d <<<"$k"; [ "$n" = "$ns" ] && [ "$d" = "$2" ] && printf '2: %s    inet %s scope global %s\n' "$d" "$a" "$d"
      done ;;
    "route add") local key="$ns|${1%/32}"
      [ -z "${__route[$key]:-}" ] || { echo "RTNETLINK answers: File exists" >&2; return 2; }; __route[$key]=$3 ;;
    "route del") unset "__route[$ns|${1%/32}]" ;;
    *) echo "fake ip: unhandled: $obj $verb $*" >&2; return 1 ;;
  esac
}
shuf() {
  local lo= hi= n= i; local -a dom
  while [ $# -gt 0 ]; do case $1 in -i) lo=${2%-*}; hi=${2#*-}; shift 2 ;; -n) n=$2; shift 2 ;; *) shift ;; esac; done
  if [ -n "$lo" ]; then mapfile -t dom < <(seq "$lo" "$hi"); else mapfile -t dom; fi
  echo "${dom[*]}" >> "$ROOT/shuf-domains"
  local len=${#dom[@]}; n=${n:-$len}
  for ((i = 0; i < n; i++)); do printf '%s\n' "${dom[(PW_DRAW + i) % len]}"; done
}
iptables() { return 0; }
sysctl() { return 0; }
setsid() { return 0; }
dnsmasq() { return 0; }
# pw_dump_pods: every pod address on eth0, one "POD netns address" line each.
pw_dump_pods() {
  local k n a d
  for k in "${!__addr[@]}"; do IFS='|' read -r n a d <<<"$k"; if [ "$d" = eth0 ]; then echo "POD $n ${a%/32}"; fi; done
}
