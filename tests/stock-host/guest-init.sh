#!/bin/sh
# PID 1 of the stock-kernel VM (installed as /sbin/pw-init in its disk image by vm.ts). It only mounts the host's
# project and cache folders, shared by 9p at the same paths as on the host, and hands over to the project's own
# guest-run.sh, so that changing what the guest runs needs no new disk image. The kernel passes the unknown
# `pw_project=` / `pw_cache=` command-line words to init as environment variables.
: "${pw_project:?pw_project= is missing from the kernel command line}" "${pw_cache:?pw_cache= is missing}"
# The initramfs has moved its /proc, /sys and /dev over already; mount them only when booted without one.
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
for share in project:"$pw_project" cache:"$pw_cache"; do
  tag=${share%%:*}
  dir=${share#*:}
  mkdir -p "$dir"
  # msize: 9p's default 8 KiB messages make node_modules reads crawl; cache=loose: the guest alone writes there.
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576,cache=loose "$tag" "$dir" || echo "pw-init: cannot mount $tag at $dir"
done
# pw_run: another script to run instead (vm.ts --guest-script, for looking into a failure by hand).
run=${pw_run:-$pw_project/tests/stock-host/guest-run.sh}
if [ -x "$run" ]; then
  exec "$run"
fi
echo "pw-init: $run is missing or not executable"
echo o >/proc/sysrq-trigger
