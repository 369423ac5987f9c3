#!/bin/bash
# Runs inside a lab node as root. Each probe checks the PRECONDITION of a known container escape and prints
# "<probe> open", "<probe> closed", or "<probe> absent" (the kernel lacks the target, e.g. no sysrq); it never runs a payload: nothing is written to a kernel knob, a release_agent or
# a device, and every mount happens in a throw-away mount namespace (unshare -m) of a node that is destroyed after.
probe() { if "$2" >/dev/null 2>&1; then echo "$1 open"; elif [ "$?" = 3 ]; then echo "$1 absent"; else echo "$1 closed"; fi; }
# Opens a file for writing and closes it at once, writing nothing (the step an exploit needs before its write).
openw() { python3 -c 'import os,sys; os.close(os.open(sys.argv[1], os.O_WRONLY))' "$1"; }
in_ns() { unshare -m --propagation private bash -c "$1"; }
declare -f openw >/tmp/openw.sh

# cgroup v1 release_agent: needs a fresh (named) v1 hierarchy mounted.
cgroup_mount() { in_ns 'mkdir -p /tmp/cg && mount -t cgroup -o none,name=pwprobe cgroup /tmp/cg && test -e /tmp/cg/release_agent'; }
# A fresh procfs unmasks what Docker covers (/proc/sys read-only, /proc/sysrq-trigger, /proc/kcore...).
proc_mount() { in_ns 'mkdir -p /tmp/p && mount -t proc proc /tmp/p'; }
# kernel.core_pattern runs a program as host root on a crash: remount /proc/sys read-write, then open it for writing.
core_pattern_remount() { in_ns '. /tmp/openw.sh; mount -o remount,rw /proc/sys 2>/dev/null || { mount --bind /proc/sys /proc/sys && mount -o remount,bind,rw /proc/sys; }; openw /proc/sys/kernel/core_pattern'; }
core_pattern_fresh_proc() { in_ns '. /tmp/openw.sh; mkdir -p /tmp/p && mount -t proc proc /tmp/p && openw /tmp/p/sys/kernel/core_pattern'; }
# /proc/sysrq-trigger (reboot, crash the host): Docker masks it; with CAP_SYS_ADMIN the mask can be unmounted.
sysrq() { in_ns '. /tmp/openw.sh; umount /proc/sysrq-trigger 2>/dev/null; [ -e /proc/sysrq-trigger ] || exit 3; openw /proc/sysrq-trigger'; }
sysrq_fresh_proc() { in_ns '. /tmp/openw.sh; mkdir -p /tmp/p && mount -t proc proc /tmp/p || exit 1; [ -e /tmp/p/sysrq-trigger ] || exit 3; openw /tmp/p/sysrq-trigger'; }
# Entering the host's namespaces through PID 1 (nsenter -t 1): open when the PID 1 we see lives in another PID
# namespace than ours, i.e. we share the host's (or a parent's) process tree.
host_pid1() { [ "$(readlink /proc/1/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] || [ "$(readlink /proc/1/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]; }
# Root in the node is root on the host unless a user namespace maps it (uid_map covering all 2^32 ids = none).
host_root_uid() { read -r _ _ span </proc/self/uid_map && [ "$span" = 4294967295 ]; }
# Device nodes: creating a block device for the host's disk (never opened), or finding any block device already there.
device_node() { mknod /tmp/pwprobe-disk b 8 0 && rm -f /tmp/pwprobe-disk; }
host_block_device() { for d in /dev/*; do [ -b "$d" ] && return 0; done; return 1; }
# Module loading: init_module with no image answers EPERM without CAP_SYS_MODULE, EFAULT with it (nothing loads).
module_load() { python3 -c 'import ctypes,sys; l=ctypes.CDLL(None,use_errno=True); l.syscall(175,None,0,b""); sys.exit(0 if ctypes.get_errno()!=1 else 1)'; }

probe cgroup-v1-mount cgroup_mount
probe proc-mount proc_mount
probe core-pattern-after-remount core_pattern_remount
probe core-pattern-via-fresh-proc core_pattern_fresh_proc
probe sysrq-trigger sysrq
probe sysrq-trigger-via-fresh-proc sysrq_fresh_proc
probe host-pid1 host_pid1
probe host-root-uid host_root_uid
probe device-node device_node
probe host-block-device host_block_device
probe module-load module_load
