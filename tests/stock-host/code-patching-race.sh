#!/bin/bash
# A guest script for vm.ts (--guest-script) that reproduces why the VM runs qemu's TCG with thread=single: it flips the
# kernel's packet-timestamp static key several times a second (each socket that asks for SO_TIMESTAMP turns it on, and
# closing the last one turns it off again: what `ping` in a lab does) while the other vCPU receives VXLAN in softirq.
# Every flip is live code patching (an int3 written over the site, then the new instruction).
#   node tests/stock-host/vm.ts --out=test-results/race --parts=integration --tcg-thread=multi \
#     --guest-script=tests/stock-host/code-patching-race.sh
# With --tcg-thread=multi the guest died in "Oops: int3" within 30 s; with single it ran the whole time without one.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
seconds=${pw_race_seconds:-600}
ip link set lo up
# Two ends of a VXLAN over a veth pair, one in a namespace: the receiving end decapsulates through a GRO cell.
ip netns add far
ip link add near-eth type veth peer name far-eth
ip link set far-eth netns far
ip addr add 10.9.0.1/24 dev near-eth && ip link set near-eth up
ip -n far addr add 10.9.0.2/24 dev far-eth && ip -n far link set far-eth up
ip link add vx-near type vxlan id 42 remote 10.9.0.2 dstport 4789 dev near-eth
ip addr add 10.10.0.1/24 dev vx-near && ip link set vx-near up
ip -n far link add vx-far type vxlan id 42 remote 10.9.0.1 dstport 4789 dev far-eth
ip -n far addr add 10.10.0.2/24 dev vx-far && ip -n far link set vx-far up
# Senders without timestamps (bash's /dev/udp), so only the flipper below turns the key on.
for _ in 1 2; do (while :; do echo x >/dev/udp/10.10.0.2/9; done) 2>/dev/null & done
# 29 is SO_TIMESTAMP on x86; perl-base's Socket is the one socket API a minimal Debian has.
(while :; do perl -MSocket -e 'socket(S, PF_INET, SOCK_DGRAM, 0) or die; setsockopt(S, SOL_SOCKET, 29, 1) or die; select(undef, undef, undef, 0.05)'; done) &
start=$(cut -d. -f1 /proc/uptime)
while :; do
  elapsed=$(($(cut -d. -f1 /proc/uptime) - start))
  echo "=== code-patching race: ${elapsed} s, $(dmesg | grep -c 'Oops') oopses, $(ip -n far -s link show vx-far | awk '/RX:/ { getline; print $2 }') packets received"
  [ "$elapsed" -ge "$seconds" ] && break
  sleep 30
done
echo o >/proc/sysrq-trigger
sleep 60
