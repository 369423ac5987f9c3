#!/usr/bin/env bash
# Starts (idempotently) a second Docker daemon whose containers run in user namespaces (--userns-remap=default):
# root in a lab node is an unprivileged uid on the host. It is the "confining engine" the escape tests and
# `lab verify` run against in CI. It must not disturb the default engine, which other work shares:
# own socket, data root, exec root and pid file; its own containerd namespaces (where a system containerd is shared,
# as on GitHub's runners); its own default bridge (NOT `--bridge none`: a daemon started with
# it deletes the host's docker0 at start-up, which the default engine still uses); no iptables management (two
# daemons rewriting the same DOCKER chains would fight; lab networks are created by packetwalk, and its host agent
# adds the rules a lab needs to the DOCKER-USER chain the default engine keeps). Lab images are copied in from the
# default engine (`images`, below) and then checked by the integration tests' image step, which builds what differs.
# Usage: .ci/userns-engine.sh [start|images|stop]; start prints the DOCKER_HOST to use (.ci/run exports it as
# PACKETWALK_USERNS_DOCKER_HOST for tests/run-all.ts).
set -euo pipefail
dir=/run/packetwalk-userns
sock="$dir/docker.sock"
host="unix://$sock"
data_root="${PACKETWALK_USERNS_DATA_ROOT:-/var/lib/packetwalk-userns}"
# The data root is a btrfs filesystem in a sparse file: the btrfs storage driver enforces a per-container size
# (LAB_DISK_LIMIT, HostConfig.StorageOpt size), which overlay2 on this machine's ext4 cannot. So the disk cap is
# tested here, and a node that writes past it meets "Disk quota exceeded" inside the lab, not a full host disk.
image="${data_root}.btrfs"
log=/var/log/packetwalk-userns-dockerd.log

up() { DOCKER_HOST="$host" docker info >/dev/null 2>&1; }

# images: copy the default engine's lab images (docker save | docker load, seconds) so that `npm run images` on this
# engine finds them up to date by content hash instead of building them again (over a minute on btrfs).
if [ "${1:-start}" = images ]; then
  for ref in $(docker images --format '{{.Repository}}:{{.Tag}}' 'packetwalk/*' | grep -v -e '<none>' -e '-base:'); do
    want=$(docker image inspect -f '{{.Id}}' "$ref")
    have=$(DOCKER_HOST="$host" docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
    if [ "$want" != "$have" ]; then docker save "$ref" | DOCKER_HOST="$host" docker load -q >/dev/null; fi
  done
  exit 0
fi

if [ "${1:-start}" = stop ]; then
  if [ -f "$dir/dockerd.pid" ]; then kill "$(cat "$dir/dockerd.pid")" 2>/dev/null || true; fi
  exit 0
fi

bridge=pwuserns0
if ! up; then
  mkdir -p "$dir" "$data_root"
  # A new filesystem at every start of the engine, as on a fresh machine: qgroup accounting on a data root that has
  # seen many containers come and go was found not to enforce the size limit any more (a 2x write succeeded), and
  # quota accounting must be on from the first byte (enabled later, limits wait for a rescan).
  if mountpoint -q "$data_root"; then umount "$data_root" 2>/dev/null || umount -l "$data_root"; fi
  rm -f "$image"
  truncate -s 40G "$image"
  mkfs.btrfs -q "$image" >/dev/null
  mount -o loop "$image" "$data_root"
  btrfs quota enable "$data_root"
  # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so it cannot clash with a real network or a lab pool.
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    ip addr add 192.0.2.1/24 dev "$bridge"
    ip link set "$bridge" up
  fi
  nohup dockerd --userns-remap=default -H "$host" --data-root "$data_root" --storage-driver btrfs --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" --bridge "$bridge" --iptables=false --ip-masq=false \
    --containerd-namespace packetwalk-userns --containerd-plugins-namespace packetwalk-userns-plugins \
    >"$log" 2>&1 &
  for _ in $(seq 1 120); do up && break; sleep 0.5; done
  up || { echo "userns dockerd did not come up; tail of $log:" >&2; tail -n 30 "$log" >&2; exit 1; }
fi

echo "$host"
