#!/usr/bin/env bash
# Fetches the kind CLI of the release packetwalk pins (KIND_RELEASE in course/sandbox/kind/node-images.ts) into the
# cache and prints the folder to put on PATH; prints nothing when it cannot. The lab-runner never runs kind: it makes
# kind clusters itself, step for step. The CLI is for the tests that check a user's kind works on those clusters
# (`kind get clusters`, `kind get nodes`, `kind delete cluster`); without it they skip and say so.
# Source: Debian's package of that release (.ci/debian-binary.sh). Fetched on first use, never committed.
# Usage: .ci/kind-cli.sh  (idempotent; stdout is the folder or nothing, progress goes to stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
release=$(sed -n "s/^export const KIND_RELEASE = 'v\([0-9.]*\)';.*/\1/p" course/sandbox/kind/node-images.ts)
[ -n "$release" ] || { echo "kind-cli: KIND_RELEASE not found in course/sandbox/kind/node-images.ts" >&2; exit 1; }
dir="${XDG_CACHE_HOME:-$HOME/.cache}/packetwalk/kind-cli-v$release"
if [ -x "$dir/kind" ] && "$dir/kind" version 2>/dev/null | grep -q "^kind v$release "; then
  echo "$dir"
  exit 0
fi
if ! .ci/debian-binary.sh kind "^${release//./\\.}-" usr/bin/kind "$dir/kind" >/dev/null; then
  echo "kind-cli: kind $release is in neither Debian testing nor unstable any more: the kind CLI checks will skip" >&2
  exit 0
fi
"$dir/kind" version >&2
echo "$dir"
