#!/bin/bash
# Runs inside the packetwalk host agent (host network namespace, NET_ADMIN + NET_RAW), sent on stdin by the lab runner:
#   bash -s -- allow <lab-id> <bridge>...   put the lab's host rules in place for each of its internal bridges
#   bash -s -- remove <lab-id>              delete that lab's rules
#   bash -s -- sweep                        delete packetwalk rules whose bridge no longer exists
#   bash -s -- list                         print "rule <backend> <bridge> <lab-id>" per bridge with rules
# Try it by hand: docker exec -i packetwalk-host-agent bash -s -- list < lab-runner/host-agent/bridge-rules.sh
#
# The rules, per internal lab bridge B of lab L, each commented "packetwalk L" (inserted at the top of their chain):
#   iptables  DOCKER-USER -i B -o B -j ACCEPT   routed traffic between the lab's own nodes (pod ranges) crosses B.
#       br_netfilter makes bridged frames traverse FORWARD, where Docker drops anything on an internal network whose
#       source or destination lies outside its subnet (DOCKER-ISOLATION-STAGE-1). "-i B -o B" matches only frames
#       that enter and leave the same bridge: nothing gets a way to the host, another lab or the outside.
#   iptables  INPUT -i B -j DROP                nothing from the lab reaches the host's own addresses. The bridge has no
#       IPv4 address, but a node that sends to the bridge's MAC reaches the host's IP stack, which accepts packets for
#       any of its addresses on any interface.
#   ip6tables INPUT -i B -j DROP                the same for IPv6: the bridge has a link-local address, and a learner can
#       enable IPv6 in a node (its /proc/sys/net is writable) and talk to the host's services on [::].
#   ip6tables FORWARD -i B ! -o B -j DROP       no IPv6 routed out of the lab by a host that forwards IPv6.
# (The IPv6 pair only when the host has IPv6.)
#
# Output: one line per action ("backend <cmd>", "allowed <cmd> <bridge>", "removed <cmd> <bridge> <lab-id>",
# "rule <cmd> <bridge> <lab-id>"); errors on stderr; exit 0 when everything asked for was done.
set -u

NAME_RE='^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'
BRIDGE_RE='^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$'
RULE_RE='^-A (DOCKER-USER|INPUT|FORWARD) -i ([A-Za-z0-9_.-]+) .*-m comment --comment "?packetwalk ([A-Za-z0-9_.-]+)"? -j (ACCEPT|DROP)$'
KINDS=(forward4 input4 input6 forward6)

action=${1:-}
shift || true
lab=
case "$action" in
  allow | remove)
    lab=${1:-}
    shift || true
    [[ $lab =~ $NAME_RE ]] || { echo "bad lab id: '$lab'" >&2; exit 2; }
    ;;
  sweep | list) ;;
  *)
    echo "usage: bridge-rules.sh allow <lab-id> <bridge>... | remove <lab-id> | sweep | list" >&2
    exit 2
    ;;
esac
if [ "$action" = allow ]; then
  for br in "$@"; do [[ $br =~ $BRIDGE_RE ]] || { echo "bad bridge name: '$br'" >&2; exit 2; }; done
fi

# Docker's rules live in whichever backend has its DOCKER-USER chain: iptables-nft or iptables-legacy (the host's
# "iptables" may be either). A host that switched backends can have both; the rules are harmless in a stale one.
backends=()
for b in iptables-nft iptables-legacy; do
  if command -v "$b" >/dev/null 2>&1 && "$b" -w 5 -S DOCKER-USER >/dev/null 2>&1; then backends+=("$b"); fi
done
if [ "${#backends[@]}" -eq 0 ]; then
  echo "no DOCKER-USER chain in iptables-nft or iptables-legacy: is Docker managing iptables on this host (\"iptables\": false in daemon.json)?" >&2
  exit 3
fi
for b in "${backends[@]}"; do echo "backend $b"; done
# /proc/net follows the network namespace: this is the host's.
ipv6=false
[ -e /proc/net/if_inet6 ] && ipv6=true

# The command for a kind of rule, given the IPv4 backend: iptables-nft -> ip6tables-nft for the IPv6 kinds.
cmd_for() { # <kind> <backend>
  case "$1" in
    *6) echo "${2/iptables/ip6tables}" ;;
    *) echo "$2" ;;
  esac
}

kinds_here() {
  if $ipv6; then printf '%s\n' "${KINDS[@]}"; else printf '%s\n' forward4 input4; fi
}

# The rule's chain and match, one argument per line (the comment has a space).
rule_args() { # <kind> <bridge> <lab-id>
  case "$1" in
    forward4) printf '%s\n' DOCKER-USER -i "$2" -o "$2" ;;
    input4 | input6) printf '%s\n' INPUT -i "$2" ;;
    forward6) printf '%s\n' FORWARD -i "$2" '!' -o "$2" ;;
  esac
  printf '%s\n' -m comment --comment "packetwalk $3" -j
  if [ "$1" = forward4 ]; then echo ACCEPT; else echo DROP; fi
}

# iptables-legacy rewrites the whole table; when dockerd changes it at the same moment the kernel refuses the stale
# copy with EAGAIN ("Resource temporarily unavailable"): try again. (-w only serialises against this container's lock.)
ipt() {
  local c=$1 out i
  shift
  for i in 1 2 3 4 5; do
    if out=$("$c" -w 5 "$@" 2>&1); then return 0; fi
    case "$out" in *"temporarily unavailable"*) sleep "0.$i" ;; *) break ;; esac
  done
  echo "$c $*: $out" >&2
  return 1
}

# Prints "<bridge> <lab-id>" once per bridge that has packetwalk rules in backend $1 (either family).
our_rules() {
  local line c chain
  {
    for c in "$1" "${1/iptables/ip6tables}"; do
      [ "$c" = "$1" ] || $ipv6 || continue
      for chain in DOCKER-USER INPUT FORWARD; do "$c" -w 5 -S "$chain" 2>/dev/null; done
    done
  } | while IFS= read -r line; do
    if [[ $line =~ $RULE_RE ]]; then echo "${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"; fi
  done | sort -u
}

ensure_rules() { # <backend> <bridge> <lab-id>
  local kind c args ok=0
  while read -r kind; do
    c=$(cmd_for "$kind" "$1")
    mapfile -t args < <(rule_args "$kind" "$2" "$3")
    "$c" -w 5 -C "${args[@]}" >/dev/null 2>&1 || ipt "$c" -I "${args[@]}" || ok=1
  done < <(kinds_here)
  return $ok
}

delete_rules() { # <backend> <bridge> <lab-id>: every kind, every copy
  local kind c args ok=0
  for kind in "${KINDS[@]}"; do
    c=$(cmd_for "$kind" "$1")
    if [[ $kind == *6 ]] && ! $ipv6; then continue; fi
    mapfile -t args < <(rule_args "$kind" "$2" "$3")
    while "$c" -w 5 -C "${args[@]}" >/dev/null 2>&1; do
      ipt "$c" -D "${args[@]}" || { ok=1; break; }
    done
  done
  [ $ok -eq 0 ] && echo "removed $1 $2 $3"
  return $ok
}

status=0
case "$action" in
  allow)
    for br in "$@"; do
      for b in "${backends[@]}"; do
        if ensure_rules "$b" "$br" "$lab"; then echo "allowed $b $br"; else status=1; fi
      done
    done
    ;;
  remove)
    for b in "${backends[@]}"; do
      while read -r br owner; do
        if [ "$owner" = "$lab" ]; then delete_rules "$b" "$br" "$owner" || status=1; fi
      done < <(our_rules "$b")
    done
    ;;
  sweep)
    # Rules are listed before interfaces are looked at, and rules are only ever added after their bridge exists, so a
    # lab being created meanwhile never loses its rules here.
    for b in "${backends[@]}"; do
      while read -r br owner; do
        if [ ! -e "/sys/class/net/$br" ]; then delete_rules "$b" "$br" "$owner" || status=1; fi
      done < <(our_rules "$b")
    done
    ;;
  list)
    for b in "${backends[@]}"; do
      while read -r br owner; do echo "rule $b $br $owner"; done < <(our_rules "$b")
    done
    ;;
esac
exit "$status"
