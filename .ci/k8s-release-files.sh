#!/usr/bin/env bash
# Fetches a file set of a Kubernetes release that a pinned node image runs (the same minor version as one of
# PINNED_NODE_IMAGES in course/sandbox/kind/node-images.ts) into the cache, and prints its path; prints nothing when
# Debian carries no such release. Source: Debian's packages (.ci/debian-binary.sh). Fetched on first use, never
# committed. The tests that read them skip without them and say why; .ci/run sets the variables named below.
#   kubectl       the kubectl binary (Debian's kubectl, 1.X.Y+ds-N): PACKETWALK_KUBECTL, for
#                 tests/unit/lessons/kubectl-usage.test.ts, which puts every kubectl command line of the course to it.
#                 Not on PATH: the lab-runner never runs a host kubectl.
#   api-testdata  k8s.io/api's serialisation test data (Debian's golang-k8s-api-dev, 0.X.Y-N): one object of each API
#                 type with every field set, as the API machinery encodes it (testdata/HEAD/<group>.<version>.<Kind>.json),
#                 only the JSON: PACKETWALK_K8S_API_TESTDATA, the API's shape for the tests that have no cluster.
# Usage: .ci/k8s-release-files.sh kubectl|api-testdata  (idempotent; stdout is the path or nothing, progress on stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}
case "$what" in
  kubectl) package=kubectl inside=usr/bin/kubectl version_of_minor='1\.%s\.[0-9]+\+' ;;
  api-testdata) package=golang-k8s-api-dev inside=usr/share/gocode/src/k8s.io/api/testdata/HEAD version_of_minor='0\.%s\.[0-9]+-' ;;
  *) echo "usage: $0 kubectl|api-testdata" >&2; exit 2 ;;
esac
minors=$(sed -n "s/.*kubernetesVersion: 'v1\.\([0-9]*\)\.[0-9]*'.*/\1/p" course/sandbox/kind/node-images.ts | sort -u | tr '\n' ' ')
minors=${minors% }
[ -n "$minors" ] || { echo "k8s-release-files: no kubernetesVersion in course/sandbox/kind/node-images.ts" >&2; exit 1; }
cache="${XDG_CACHE_HOME:-$HOME/.cache}/packetwalk"
result() { if [ "$what" = kubectl ]; then echo "$1/kubectl"; else echo "$1"; fi; }
# A fetched set carries VERSION (the Debian package and version it came from), written last.
for minor in $minors; do
  dir="$cache/$what-v1.$minor"
  if [ -s "$dir/VERSION" ]; then
    result "$dir"
    exit 0
  fi
done
# shellcheck disable=SC2059 # the format is this script's own
pattern="^($(for m in $minors; do printf "$version_of_minor|" "$m"; done | sed 's/|$//'))"
staged="$cache/$what-staged-$$"
trap 'rm -rf "$staged"' EXIT
mkdir -p "$staged"
if ! version=$(.ci/debian-binary.sh "$package" "$pattern" "$inside" "$staged/${inside##*/}"); then
  echo "k8s-release-files: Debian has no $package of a pinned Kubernetes minor (1.${minors// /, 1.}): the tests that read it will skip" >&2
  exit 0
fi
if [ "$what" = api-testdata ]; then
  mv "$staged/HEAD"/*.json "$staged/"
  rm -rf "$staged/HEAD"
fi
minor=$(echo "$version" | cut -d. -f2)
echo "$package $version (Debian)" >"$staged/VERSION"
rm -rf "$cache/$what-v1.$minor"
mv "$staged" "$cache/$what-v1.$minor"
echo "k8s-release-files: $what of Kubernetes 1.$minor from Debian's $package $version" >&2
result "$cache/$what-v1.$minor"
