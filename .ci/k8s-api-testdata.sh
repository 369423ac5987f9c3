#!/usr/bin/env bash
# Fetches k8s.io/api's serialisation test data of a Kubernetes release that a pinned node image runs (k8s.io/api
# v0.X.Y is Kubernetes 1.X.Y; the same minor as one of PINNED_NODE_IMAGES in course/sandbox/kind/node-images.ts)
# into the cache and prints the folder; prints nothing when it cannot. testdata/HEAD/<group>.<version>.<Kind>.json
# is one object of each API type with every field set, as the API server's own encoder writes it. The tests that
# need the API's shape without a cluster read it (PACKETWALK_K8S_API_TESTDATA): the map's kind views parse those
# objects, and the course's manifests may set only fields they have. Without it those tests skip and say so.
# Source: Debian's golang-k8s-api-dev (.ci/debian-binary.sh). Fetched on first use, never committed.
# Usage: .ci/k8s-api-testdata.sh  (idempotent; stdout is the folder or nothing, progress goes to stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
minors=$(sed -n "s/.*kubernetesVersion: 'v1\.\([0-9]*\)\.[0-9]*'.*/\1/p" course/sandbox/kind/node-images.ts | sort -u | tr '\n' ' ')
minors=${minors% }
[ -n "$minors" ] || { echo "k8s-api-testdata: no kubernetesVersion in course/sandbox/kind/node-images.ts" >&2; exit 1; }
cache="${XDG_CACHE_HOME:-$HOME/.cache}/packetwalk"
for minor in $minors; do
  dir="$cache/k8s-api-testdata-v1.$minor"
  if [ -s "$dir/core.v1.Pod.json" ] && [ -s "$dir/VERSION" ]; then
    echo "$dir"
    exit 0
  fi
done
# Debian's version of k8s.io/api is the module's: 0.36.4-1 for Kubernetes 1.36.4.
pattern="^0\\.(${minors// /|})\\.[0-9]+-"
staged="$cache/k8s-api-testdata-staged-$$"
if ! version=$(.ci/debian-binary.sh golang-k8s-api-dev "$pattern" usr/share/gocode/src/k8s.io/api/testdata/HEAD "$staged"); then
  echo "k8s-api-testdata: Debian has no k8s.io/api of a pinned minor version (1.${minors// /, 1.}): the tests that read it will skip" >&2
  exit 0
fi
# Only the JSON encodings are read; the protobuf and YAML twins are left out.
find "$staged" -type f ! -name '*.json' -delete
minor=$(echo "$version" | cut -d. -f2)
echo "k8s.io/api $version (Debian golang-k8s-api-dev)" >"$staged/VERSION"
rm -rf "$cache/k8s-api-testdata-v1.$minor"
mv "$staged" "$cache/k8s-api-testdata-v1.$minor"
echo "k8s-api-testdata: $(find "$cache/k8s-api-testdata-v1.$minor" -name '*.json' | wc -l) objects of k8s.io/api $version" >&2
echo "$cache/k8s-api-testdata-v1.$minor"
