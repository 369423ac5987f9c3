#!/bin/bash
# Runs inside the packetwalk host agent (host network namespace, NET_ADMIN + NET_RAW), sent on stdin by the lab runner:
#   bash -s -- allow <lab-id> <bridge>...   let frames between the ports of each bridge through the host's FORWARD chain
#   bash -s -- remove <lab-id>              delete that lab's rules
#   bash -s -- sweep                        delete packetwalk rules whose bridge no longer exists
#   bash -s -- list                         print packetwalk rules
# Try it by hand: docker exec -i packetwalk-host-agent bash -s -- list < lab-runner/host-agent/bridge-rules.sh
#
# Why: br_netfilter makes bridged frames traverse iptables FORWARD, where Docker drops anything on an internal network
# whose source or destination is outside the network's subnet (DOCKER-ISOLATION-STAGE-1). Routed pod traffic between
# lab nodes (10.100.x.x over a 10.200.x.x lab subnet) is exactly that. The rule, one per lab bridge, is
#   -I DOCKER-USER -i <bridge> -o <bridge> -m comment --comment "packetwalk <lab-id>" -j ACCEPT
# "-i X -o X" matches only frames that enter and leave the same bridge: between the lab's own nodes. Nothing gets a way
# to the host, another lab or the outside that it did not have before.
#
# Output: one line per action ("backend <cmd>", "allowed <cmd> <bridge>", "removed <cmd> <bridge> <lab-id>",
# "rule <cmd> <bridge> <lab-id>"); errors on stderr; exit 0 when everything asked for was done.
set -u

NAME_RE='^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'
BRIDGE_RE='^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$'
RULE_RE='^-A DOCKER-USER -i ([A-Za-z0-9_.-]+) -o ([A-Za-z0-9_.-]+) -m comment --comment "?packetwalk ([A-Za-z0-9_.-]+)"? -j ACCEPT$'

# Docker's rules live in whichever backend has its DOCKER-USER chain: iptables-nft or iptables-legacy (the host's
# "iptables" may be either). A host that switched backends can have both; the rule is harmless in a stale one.
backends=()
for b in iptables-nft iptables-legacy; do
  if command -v "$b" >/dev/null 2>&1 && "$b" -w 5 -S DOCKER-USER >/dev/null 2>&1; then backends+=("$b"); fi
done
if [ "${#backends[@]}" -eq 0 ]; then
  echo "no DOCKER-USER chain in iptables-nft or iptables-legacy: is Docker managing iptables on this host (\"iptables\": false in daemon.json)?" >&2
  exit 3
fi
for b in "${backends[@]}"; do echo "backend $b"; done

# iptables-legacy rewrites the whole table; when dockerd changes it at the same moment the kernel refuses the stale
# copy with EAGAIN ("Resource temporarily unavailable"): try again. (-w only serialises against this container's lock.)
ipt() {
  local b=$1 out i
  shift
  for i in 1 2 3 4 5; do
    if out=$("$b" -w 5 "$@" 2>&1); then return 0; fi
    case "$out" in *"temporarily unavailable"*) sleep "0.$i" ;; *) break ;; esac
  done
  echo "$b $*: $out" >&2
  return 1
}

rule_args() { # <bridge> <lab-id>
  printf '%s\n' -i "$1" -o "$1" -m comment --comment "packetwalk $2" -j ACCEPT
}

# Prints "<bridge> <lab-id>" for every packetwalk rule of backend $1.
our_rules() {
  local line
  "$1" -w 5 -S DOCKER-USER 2>/dev/null | while IFS= read -r line; do
    if [[ $line =~ $RULE_RE ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
      echo "${BASH_REMATCH[1]} ${BASH_REMATCH[3]}"
    fi
  done
}

delete_rule() { # <backend> <bridge> <lab-id>: deletes every copy
  local args
  mapfile -t args < <(rule_args "$2" "$3")
  while "$1" -w 5 -C DOCKER-USER "${args[@]}" >/dev/null 2>&1; do
    ipt "$1" -D DOCKER-USER "${args[@]}" || return 1
  done
  echo "removed $1 $2 $3"
}

status=0
action=${1:-}
shift || true
case "$action" in
  allow)
    lab=${1:-}
    shift || true
    [[ $lab =~ $NAME_RE ]] || { echo "bad lab id: '$lab'" >&2; exit 2; }
    for br in "$@"; do
      [[ $br =~ $BRIDGE_RE ]] || { echo "bad bridge name: '$br'" >&2; exit 2; }
      mapfile -t args < <(rule_args "$br" "$lab")
      for b in "${backends[@]}"; do
        if "$b" -w 5 -C DOCKER-USER "${args[@]}" >/dev/null 2>&1 || ipt "$b" -I DOCKER-USER "${args[@]}"; then
          echo "allowed $b $br"
        else
          status=1
        fi
      done
    done
    ;;
  remove)
    lab=${1:-}
    [[ $lab =~ $NAME_RE ]] || { echo "bad lab id: '$lab'" >&2; exit 2; }
    for b in "${backends[@]}"; do
      while read -r br owner; do
        if [ "$owner" = "$lab" ]; then delete_rule "$b" "$br" "$owner" || status=1; fi
      done < <(our_rules "$b")
    done
    ;;
  sweep)
    # Rules are listed before interfaces are looked at, and a rule is only ever added after its bridge exists, so a
    # lab being created meanwhile never loses its rule here.
    for b in "${backends[@]}"; do
      while read -r br owner; do
        if [ ! -e "/sys/class/net/$br" ]; then delete_rule "$b" "$br" "$owner" || status=1; fi
      done < <(our_rules "$b")
    done
    ;;
  list)
    for b in "${backends[@]}"; do
      while read -r br owner; do echo "rule $b $br $owner"; done < <(our_rules "$b")
    done
    ;;
  *)
    echo "usage: bridge-rules.sh allow <lab-id> <bridge>... | remove <lab-id> | sweep | list" >&2
    exit 2
    ;;
esac
exit "$status"
