#!/usr/bin/env bash
# Fetches one file or folder of a Debian binary package from Debian's archive (testing, then unstable), checked
# against the SHA256 in Debian's signed index: how these machines, which reach Debian's archive and the npm registry
# only, get a pinned upstream artefact (the kind and kubectl binaries Debian builds from the tagged source with its
# own Go; k8s.io/api's test data) into the cache. Never committed.
# Usage: .ci/debian-binary.sh PACKAGE VERSION_REGEX PATH DEST
#   VERSION_REGEX: an awk (ERE) pattern the Debian version must match, e.g. '^0\.33\.0-'
#   PATH: a file (made executable) or folder inside the package, e.g. usr/bin/kind; DEST: where to put it (written
#   whole, then renamed into place).
# Prints the Debian version it took; exits 1, saying why on stderr, when neither suite has a matching version.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 PACKAGE VERSION_REGEX PATH DEST" >&2; exit 2; }
package=$1 want=$2 file=$3 dest=$4
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seen=""
for suite in testing unstable; do
  curl -fsS --max-time 120 -o "$tmp/Packages.xz" "$mirror/dists/$suite/main/binary-amd64/Packages.xz" || continue
  xz -dc "$tmp/Packages.xz" >"$tmp/Packages"
  # The package's stanza: its version, pool path and SHA256.
  entry=$(awk -v pkg="$package" '
    /^Package: /{p=$2; v=""; f=""; s=""}
    /^Version: /{v=$2} /^Filename: /{f=$2} /^SHA256: /{s=$2}
    /^$/{ if (p==pkg) { print v, f, s; exit } }' "$tmp/Packages")
  [ -n "$entry" ] || continue
  read -r version pool sum <<<"$entry"
  if ! awk -v v="$version" -v re="$want" 'BEGIN { exit !(v ~ re) }'; then
    seen="$seen $suite:$version"
    continue
  fi
  echo "debian-binary: fetching $package $version from Debian $suite ($pool)" >&2
  curl -fsS --max-time 300 -o "$tmp/package.deb" "$mirror/$pool"
  echo "$sum  $tmp/package.deb" | sha256sum -c --quiet - >&2
  dpkg-deb -x "$tmp/package.deb" "$tmp/x"
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest.partial"
  if [ -d "$tmp/x/$file" ]; then cp -a "$tmp/x/$file" "$dest.partial"; else install -m 0755 "$tmp/x/$file" "$dest.partial"; fi
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  echo "$version"
  exit 0
done
echo "debian-binary: no $package matching $want in Debian testing or unstable (found:${seen:- none})" >&2
exit 1
