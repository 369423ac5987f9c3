// The shell side of file operations. Each script runs as `sh -c SCRIPT <name> ARG…`: paths and versions travel
// as argv and file content on stdin, so nothing is ever quoted into a command line. Output that may hold
// arbitrary bytes (file content, paths, names) comes back base64-encoded, because exec output is decoded as text.
// Only POSIX sh and GNU coreutils/findutils are used (present on lab nodes, kind nodes and the jumpbox).

/** Exit codes the scripts use to say why they stopped; anything else is an unexpected failure. */
export const FileExit = {
  ok: 0,
  notFound: 10,
  notRegular: 11,
  tooLarge: 12,
  conflict: 13,
  directoryMissing: 14,
  permissionDenied: 15,
  outsidePolicy: 16,
} as const;

/**
 * read PATH LIMIT -> "size=…\nmtime=…\nmode=…\nreal=<b64>\n--\n<b64 of at most LIMIT+1 bytes>".
 * LIMIT+1 bytes are read so that "exactly at the limit" and "over it" differ even if the file grows meanwhile.
 */
export const READ_SCRIPT = `
p=$1; limit=$2
[ -e "$p" ] || exit ${FileExit.notFound}
[ -f "$p" ] || exit ${FileExit.notRegular}
[ -r "$p" ] || exit ${FileExit.permissionDenied}
real=$(readlink -f -- "$p") || real=$p
info=$(stat -L -c '%s %.9Y %a' -- "$p") || exit ${FileExit.permissionDenied}
set -- $info
printf 'size=%s\\nmtime=%s\\nmode=%s\\nreal=%s\\n' "$1" "$2" "$3" "$(printf %s "$real" | base64 -w0)"
[ "$1" -le "$limit" ] || exit ${FileExit.tooLarge}
printf -- '--\\n'
head -c "$((limit + 1))" -- "$p" | base64 -w0 || exit ${FileExit.permissionDenied}
`;

/** stat PATH -> "size=…\nmtime=…\nsha=…": the version of a file without its content (change detection). */
export const STAT_SCRIPT = `
p=$1
[ -e "$p" ] || exit ${FileExit.notFound}
[ -f "$p" ] || exit ${FileExit.notRegular}
info=$(stat -L -c '%s %.9Y' -- "$p") || exit ${FileExit.permissionDenied}
set -- $info
sha=$(sha256sum < "$p" | cut -c1-64) || exit ${FileExit.permissionDenied}
printf 'size=%s\\nmtime=%s\\nsha=%s\\n' "$1" "$2" "$sha"
`;

/**
 * write PATH EXPECTED ALLOWED… (content on stdin) -> "size=…\nmtime=…\nsha=…\nreal=<b64>".
 * EXPECTED is the sha256 the editor started from, "absent" for a new file, or "any" to overwrite.
 * Symlinks are followed (as editors do) and the policy is checked on the real path, here, in the same process
 * that writes. The new content goes to a temporary file beside the target and is renamed over it (atomic, mode
 * and owner kept); a bind-mounted file such as Docker's /etc/resolv.conf cannot be renamed over, so it is
 * rewritten in place instead.
 * On conflict the current sha256 is printed; outside the policy, the real path (base64).
 */
export const WRITE_SCRIPT = `
p=$1; expected=$2; shift 2
real=$(readlink -f -- "$p") || exit ${FileExit.directoryMissing}
allowed=0
for a in "$@"; do
  case "$a" in
    */) case "$real" in "$a"*) allowed=1 ;; esac ;;
    *) [ "$real" = "$a" ] && allowed=1 ;;
  esac
done
[ "$allowed" = 1 ] || { printf %s "$real" | base64 -w0; exit ${FileExit.outsidePolicy}; }
dir=$(dirname -- "$real")
[ -d "$dir" ] || exit ${FileExit.directoryMissing}
if [ -e "$real" ]; then
  [ -f "$real" ] || exit ${FileExit.notRegular}
  if [ "$expected" != any ]; then
    cur=$(sha256sum < "$real" | cut -c1-64)
    [ -n "$cur" ] || exit ${FileExit.permissionDenied}
    if [ "$expected" = absent ] || [ "$cur" != "$expected" ]; then printf %s "$cur"; exit ${FileExit.conflict}; fi
  fi
else
  case "$expected" in any|absent) ;; *) exit ${FileExit.notFound} ;; esac
fi
tmp=$(mktemp "$dir/.packetwalk-save.XXXXXX" 2>/dev/null) || tmp=
if [ -n "$tmp" ]; then
  cat > "$tmp" || { rm -f -- "$tmp"; exit ${FileExit.permissionDenied}; }
  if [ -e "$real" ]; then
    chmod --reference="$real" -- "$tmp" 2>/dev/null
    chown --reference="$real" -- "$tmp" 2>/dev/null
  else
    chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" -- "$tmp"
  fi
  if ! mv -f -- "$tmp" "$real" 2>/dev/null; then
    cat -- "$tmp" > "$real" || { rm -f -- "$tmp"; exit ${FileExit.permissionDenied}; }
    rm -f -- "$tmp"
  fi
else
  cat > "$real" || exit ${FileExit.permissionDenied}
fi
set -- $(stat -L -c '%s %.9Y' -- "$real")
printf 'size=%s\\nmtime=%s\\nsha=%s\\nreal=%s\\n' "$1" "$2" "$(sha256sum < "$real" | cut -c1-64)" "$(printf %s "$real" | base64 -w0)"
`;

/**
 * list DIR MAX -> "dir=<b64 of the resolved directory>\n--\n<b64 of NUL-separated "type\tsize\tmtime\tname" records>".
 * An empty DIR lists the exec user's home. Types are find's %Y: f file, d directory, l broken link, others.
 */
export const LIST_SCRIPT = `
d=\${1:-$HOME}; max=$2
[ -e "$d" ] || exit ${FileExit.notFound}
[ -d "$d" ] || exit ${FileExit.notRegular}
cd -- "$d" 2>/dev/null || exit ${FileExit.permissionDenied}
here=$(pwd -P)
printf 'dir=%s\\n--\\n' "$(printf %s "$here" | base64 -w0)"
find . -mindepth 1 -maxdepth 1 -printf '%Y\\t%s\\t%T@\\t%f\\0' 2>/dev/null | head -z -n "$max" | base64 -w0
`;
