#!/usr/bin/env bash
# Fetches a kubectl of a Kubernetes release that a pinned node image runs (the same minor version as one of
# PINNED_NODE_IMAGES in course/sandbox/kind/node-images.ts) into the cache and prints the binary's path; prints
# nothing when it cannot. tests/unit/lessons/kubectl-usage.test.ts puts every kubectl command line of the course to
# it (PACKETWALK_KUBECTL); without it that test skips and says so. The lab-runner never runs a host kubectl.
# Source: Debian's package (.ci/debian-binary.sh). Fetched on first use, never committed.
# Usage: .ci/kubectl-cli.sh  (idempotent; stdout is the path or nothing, progress goes to stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
minors=$(sed -n "s/.*kubernetesVersion: 'v\([0-9]*\.[0-9]*\)\.[0-9]*'.*/\1/p" course/sandbox/kind/node-images.ts | sort -u | tr '\n' ' ')
minors=${minors% }
[ -n "$minors" ] || { echo "kubectl-cli: no kubernetesVersion in course/sandbox/kind/node-images.ts" >&2; exit 1; }
cache="${XDG_CACHE_HOME:-$HOME/.cache}/packetwalk"
for minor in $minors; do
  bin="$cache/kubectl-v$minor/kubectl"
  # Not `| grep -q`: grep's early exit would fail the pipeline (pipefail) on kubectl's SIGPIPE.
  if [ -x "$bin" ] && [[ "$("$bin" version --client 2>/dev/null)" == "Client Version: v$minor."* ]]; then
    echo "$bin"
    exit 0
  fi
done
# Debian's version of kubectl is the upstream one plus "+ds-N": 1.36.4+ds-1.
alternatives=${minors//./\\.}
pattern="^(${alternatives// /|})\\.[0-9]+\\+"
staged="$cache/kubectl-staged-$$"
if ! version=$(.ci/debian-binary.sh kubectl "$pattern" usr/bin/kubectl "$staged"); then
  echo "kubectl-cli: Debian has no kubectl of a pinned minor version ($minors): the kubectl usage test will skip" >&2
  exit 0
fi
minor=$(echo "$version" | cut -d. -f1-2)
mkdir -p "$cache/kubectl-v$minor"
mv "$staged" "$cache/kubectl-v$minor/kubectl"
"$cache/kubectl-v$minor/kubectl" version --client >&2
echo "$cache/kubectl-v$minor/kubectl"
