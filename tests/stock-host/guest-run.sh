#!/bin/bash
# What the stock-kernel VM checks, run inside it by pw-init (guest-init.sh). The guest is a Debian kernel as shipped
# (AppArmor 4 on, the unified cgroup v2 hierarchy, every queueing discipline as a module) with Debian's Docker on the
# containerd image store (vm.ts --suite: forky's 28.5 by default, trixie's 26.1): the parts of a user's host that the
# project machines lack, and privileged containers. It prepares the host the way docs/isolation.md and
# docs/network.md tell an operator to (load sch_netem/sch_tbf, `npm run apparmor -- --persist`), then runs the tests
# that assert what those features change, with the environment that makes a silent fallback fail:
#   - PACKETWALK_EXPECT_ISOLATION=apparmor: the escape tests, under the packetwalk-node profile on cgroup v2;
#   - PACKETWALK_EXPECT_NETEM=1: the network service's integration tests, impairments included;
#   - `lab verify` of every lesson, under AppArmor on cgroup v2;
#   - with kind's CLI (pw_kind_cli), the lab-runner's kind nodes against kind's own (tests/integration/kind/).
# Reports and the exit status go to $pw_out (a folder of the shared project); then the VM powers itself off.
set -u
: "${pw_project:?}" "${pw_cache:?}" "${pw_out:?}" "${pw_images:?}" # from the kernel command line (vm.ts)
export PATH="$pw_cache/node24/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME=/root LANG=C.UTF-8
# The cache is shared at the host's path: the image step finds its rootfs there.
export XDG_CACHE_HOME="${pw_cache%/*}"
status=0
# Each step says when it started, in seconds since boot: what a slow run spent its time on.
step() { echo; echo "=== stock-host: $* (at $(cut -d' ' -f1 /proc/uptime) s)"; }
fail() { echo "stock-host: $*"; status=1; }
finish() {
  echo "$status" >"$pw_out/exit-status"
  sync
  echo "=== stock-host: done, exit status $status"
  [ -n "${pw_serve_port:-}" ] && [ "$status" = 0 ] && [[ $parts == *" browser "* ]] && serve
  echo o >/proc/sysrq-trigger
  sleep 60
}
# pw_serve_port: serve the site (the host's production build, through the share) on the VM's user-mode network
# device, which qemu forwards from the host's loopback; the host's Chromium then runs tests/e2e/impairments.spec.ts
# against it, so the map's impairment form meets a real sch_netem. The host stops the VM when it is done.
serve() {
  step "the site on port $pw_serve_port for the host's Chromium"
  modprobe virtio_net
  # The initramfs's udev has named it already (ens3 on qemu's default machine): the one net device with hardware.
  local nic
  nic=$(for d in /sys/class/net/*; do [ -e "$d/device" ] && echo "${d##*/}"; done | head -n1)
  # qemu's user-mode network: the guest is 10.0.2.15, and the forwarded port arrives there.
  { ip link set "$nic" up && ip addr add 10.0.2.15/24 dev "$nic"; } || echo "stock-host: no network device for the forwarded port"
  mkdir -p /tmp/site-data
  NODE_ENV=production HOST=0.0.0.0 PORT="$pw_serve_port" DATA_DIR=/tmp/site-data WARM_POOL='' LAB_HARD_EXPIRY=30m \
    node server.ts >/var/log/site.log 2>&1 &
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$pw_serve_port") 2>/dev/null; then
      echo "=== stock-host: serving on $pw_serve_port"
      wait
      return
    fi
    sleep 0.5
  done
  echo "stock-host: the site did not come up; its log:"
  tail -n 40 /var/log/site.log
}

mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ip link set lo up
hostname stock-host

# Every node here runs with V8's --liftoff-only: WebAssembly (amaro, which strips the types of each .ts file node
# loads, and es-module-lexer in vitest) compiled once by the baseline compiler and never tiered up. Under TCG, one
# `lab verify` on forky (the CI run of 98b9fdc) aborted with "Check failed: it->second.Size() > offset": symbolised
# against node 24.21's own symbol table, Runtime_WasmTriggerTierUp walked the stack
# (StackFrameIterator::Advance -> Heap::GcSafeFindCodeForInnerPointer -> ThreadIsolation::StartOfJitAllocationAt)
# and met a return address inside a JIT page but outside every allocation V8 had recorded there. That is V8's own
# check failing in its tier-up path, not the project's code; no host run has hit it. --liftoff-only turns dynamic
# tiering off (V8's flag definitions imply it), so that path is never taken. The wrapper reaches the scripts run by
# their shebang (vitest); vitest.config.ts hands the flag on to its workers.
mkdir -p /run/pw-node
printf '#!/bin/sh\nexec %s --liftoff-only "$@"\n' "$pw_cache/node24/bin/node" >/run/pw-node/node
chmod +x /run/pw-node/node
export PATH="/run/pw-node:$PATH"
step "$(node -e 'console.log("node " + process.version + " with " + process.execArgv.filter((a) => a.startsWith("--")).join(" "))')"

step "kernel $(uname -r); $(wc -w </sys/fs/cgroup/cgroup.controllers) cgroup v2 controllers; AppArmor enabled: $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)"
[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] || fail "AppArmor is not enabled in this kernel"

step "queueing disciplines (the documented host step for impairments)"
{ modprobe sch_netem && modprobe sch_tbf; } || fail "modprobe sch_netem/sch_tbf failed"

step "dockerd"
mkdir -p /etc/docker
# The containerd image store: images live in containerd's content store and snapshotters, not in overlay2. Docker 29
# makes it the default for a fresh install and Docker Desktop has it on; image ids, `docker load` and container
# storage all differ from the project machines' Docker 20.10.
echo '{ "features": { "containerd-snapshotter": true } }' >/etc/docker/daemon.json
# No bridge network is reachable from outside: the VM has no network device at all, only loopback.
dockerd --data-root /var/lib/docker >/var/log/dockerd.log 2>&1 &
# Under TCG, dockerd 26 with its containerd takes about a minute to load its plugins and answer: wait up to 4 min.
for _ in $(seq 1 240); do docker info >/dev/null 2>&1 && break; sleep 1; done
if ! docker info >/dev/null 2>&1; then
  fail "dockerd did not come up"
  tail -n 40 /var/log/dockerd.log
  finish
fi
docker version --format 'docker {{.Server.Version}}'
docker info --format 'cgroup v{{.CgroupVersion}} ({{.CgroupDriver}}); security options {{json .SecurityOptions}}'
[ "$(docker info --format '{{.CgroupVersion}}')" = 2 ] || fail "Docker does not see cgroup v2"
docker info --format '{{json .SecurityOptions}}' | grep -q 'name=apparmor' || fail "Docker does not apply AppArmor"
docker info --format 'storage: {{.Driver}} {{json .DriverStatus}}'
docker info --format '{{json .DriverStatus}}' | grep -q 'io.containerd.snapshotter' || fail "Docker is not on the containerd image store"

# pw_build_image (vm.ts): the lab image to build here, as a user's first `npm run images` does, from the
# debootstrapped base the host cached (no network: that base already holds every package). The others come from the
# host's engine by `docker load`: both are the containerd image store's paths.
if [ -n "${pw_build_image:-}" ]; then
  step "lab image $pw_build_image: npm run images -- --base debootstrap (docker import and docker build on the containerd image store)"
  (cd "$pw_project" && node lab-runner/cli/images.ts --base debootstrap --only "$pw_build_image") || fail "npm run images failed"
fi
if [ -s "$pw_images" ]; then
  step "the other lab images (docker load of the host's, so the image step finds them up to date by content hash)"
  docker load -q -i "$pw_images" || fail "docker load failed"
fi
docker images --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' | sed 's/^/image /'

# The guest has Node 24 (the host's, shared) but no npm: each npm script is run as the command it names.
step "AppArmor profile packetwalk-node (npm run apparmor -- --persist)"
cd "$pw_project" || finish
node lab-runner/cli/apparmor.ts --persist || fail "npm run apparmor failed"
grep '^packetwalk-node ' /sys/kernel/security/apparmor/profiles || fail "packetwalk-node is not loaded"

# pw_parts: which of integration, verify and browser to run (vm.ts --parts; all three by default).
parts=" ${pw_parts:-integration,verify,browser} "
parts=${parts//,/ }
if [ "$status" = 0 ]; then
  export PACKETWALK_EXPECT_ISOLATION=apparmor PACKETWALK_EXPECT_NETEM=1 CI=true FORCE_COLOR=0
fi
if [ "$status" = 0 ] && [[ $parts == *" integration "* ]]; then
  # Docker 28 and later load br_netfilter only for a network with inter-container traffic off, so on such a guest it
  # is absent until the first bare-node lab has Docker load it (lab-runner/nodes/bridge-netfilter.ts). This runs
  # before any other test can make a lab, and must see the engine do it; older Dockers loaded it at start.
  if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
    step "br_netfilter: loaded by Docker at start"
    bridge_expect=host
  else
    step "br_netfilter: not loaded by Docker at start; the first lab must have Docker load it"
    bridge_expect=docker
  fi
  PACKETWALK_EXPECT_BR_NETFILTER=$bridge_expect node_modules/.bin/vitest run --project integration tests/integration/nodes/bridge-netfilter.test.ts \
    --reporter=default --reporter=json "--outputFile.json=$pw_out/vitest-bridge-netfilter.json" || fail "br_netfilter test failed"
  # pw_kind_cli (vm.ts): the kind CLI of the pinned release, from the shared cache. Here, unlike on the project
  # machines, Docker starts privileged containers, so kind itself can make nodes to compare the lab-runner's with.
  kind_tests=()
  if [ -n "${pw_kind_cli:-}" ] && [ -x "$pw_kind_cli/kind" ]; then
    export PATH="$pw_kind_cli:$PATH"
    kind_tests=(tests/integration/kind/kind-differential.test.ts tests/integration/kind/kind-delete-remnants.test.ts)
  fi
  kind_note=""
  [ ${#kind_tests[@]} -gt 0 ] && kind_note=", the kind CLI against the lab-runner's kind nodes"
  step "integration tests: isolation (escapes), network (map, capture, impairments)$kind_note"
  node_modules/.bin/vitest run --project integration tests/integration/isolation tests/integration/network "${kind_tests[@]}" \
    --reporter=default --reporter=json "--outputFile.json=$pw_out/vitest.json" || fail "integration tests failed"
fi
if [ "$status" = 0 ] && [[ $parts == *" verify "* ]]; then
  step "lab verify all (under AppArmor, cgroup v2)"
  # pw_timeout_scale: an emulated CPU runs each exec several times slower than the hosts the checks' timeouts are for.
  node lab-runner/cli/lab.ts verify "${pw_verify:-all}" --skip-variants "--timeout-scale=${pw_timeout_scale:-1}" "--report=$pw_out/verify.json" ||
    fail "lab verify failed"
fi

step "what the tests left behind (must be nothing)"
docker ps -aq --filter label=io.packetwalk.store-id | sed 's/^/left container /'
# What AppArmor refused during the run: the near misses and escapes are expected here, a lesson's own step is a bug.
step "AppArmor denials (profile, operation, target)"
dmesg | sed -nE 's/.*apparmor="DENIED" operation="([^"]*)".* profile="([^"]*)" name="([^"]*)".* comm="([^"]*)".*/\2: \1 \3 (by \4)/p' | sort | uniq -c | sort -rn | head -40
# An oops outside interrupt context kills only the process that hit it, so a test may fail for a reason only dmesg
# knows, or pass; either way the run says so (an oops in interrupt context panics, and vm.ts reports the end at once).
step "kernel oopses and BUGs (must be none)"
if dmesg | grep -E -A3 'Oops:|BUG:'; then fail "the guest kernel oopsed during the run (above)"; fi
finish
