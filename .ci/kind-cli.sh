#!/usr/bin/env bash
# Fetches the kind CLI of the release packetwalk pins (KIND_RELEASE in course/sandbox/kind/node-images.ts) into the
# cache and prints the folder to put on PATH; prints nothing when it cannot. The lab-runner never runs kind: it makes
# kind clusters itself, step for step. The CLI is for the tests that check a user's kind works on those clusters
# (`kind get clusters`, `kind get nodes`, `kind delete cluster`); without it they skip and say so.
# Source: Debian's package of that release (testing or unstable), checked against the SHA256 in Debian's signed
# index, because these machines reach Debian's archive and the npm registry only. Debian builds it from the same
# tagged source with its own Go. Fetched on first use, never committed.
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
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for suite in testing unstable; do
  curl -fsS --max-time 120 -o "$tmp/Packages.xz" "$mirror/dists/$suite/main/binary-amd64/Packages.xz" || continue
  # The kind stanza of that release: its pool path and SHA256.
  xz -dc "$tmp/Packages.xz" >"$tmp/Packages"
  entry=$(awk -v want="$release" '
    /^Package: /{p=$2; v=""; f=""; s=""}
    /^Version: /{v=$2} /^Filename: /{f=$2} /^SHA256: /{s=$2}
    /^$/{ if (p=="kind" && index(v, want "-")==1) { print f, s; exit } }' "$tmp/Packages")
  [ -n "$entry" ] || continue
  read -r file sum <<<"$entry"
  echo "kind-cli: fetching kind $release from Debian $suite ($file)" >&2
  curl -fsS --max-time 300 -o "$tmp/kind.deb" "$mirror/$file"
  echo "$sum  $tmp/kind.deb" | sha256sum -c --quiet - >&2
  dpkg-deb -x "$tmp/kind.deb" "$tmp/x"
  mkdir -p "$dir"
  install -m 0755 "$tmp/x/usr/bin/kind" "$dir/kind.partial"
  mv "$dir/kind.partial" "$dir/kind"
  "$dir/kind" version >&2
  echo "$dir"
  exit 0
done
echo "kind-cli: kind $release is in neither Debian testing nor unstable any more: the kind CLI checks will skip" >&2
