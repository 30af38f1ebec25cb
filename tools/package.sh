#!/bin/bash
# Builds the Debian package of this checkout with dpkg-buildpackage -us -uc -b and checks it with
# lintian (any error or warning fails). The build runs in a copy of the checkout's files (tracked,
# plus new ones not ignored) under BUILD_DIR/package/src, so the tree stays clean and the results
# land in one known place: BUILD_DIR/package/gamesched_<version>_<arch>.deb.
#
# Usage: package.sh BUILD_DIR    prints the path of the .deb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1/package
src=$out/src

log() { echo "package: $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v dpkg-buildpackage > /dev/null || die "dpkg-buildpackage missing; run ./run setup"
git -C "$root" rev-parse --git-dir > /dev/null 2>&1 || die "$root is not a git checkout"

rm -rf "$out"; mkdir -p "$src"
git -C "$root" ls-files -z --cached --others --exclude-standard \
    | tar -C "$root" --null -T - --ignore-failed-read -cf - 2> /dev/null | tar -C "$src" -xf -

# dpkg-buildflags maps the source path out of the objects (-ffile-prefix-map), so ccache may
# ignore where the copy lies: a package build of another checkout reuses these compilations.
export CCACHE_NOHASHDIR=1 CCACHE_BASEDIR=$src
log "dpkg-buildpackage -us -uc -b (log: $out/build.log)"
start=$EPOCHREALTIME
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
    tail -40 "$out/build.log" >&2
    die "dpkg-buildpackage failed; the whole log is $out/build.log"
fi
log "built in $(echo "$EPOCHREALTIME - $start" | bc) s"
rm -rf "$src"

deb=$(ls "$out"/gamesched_*.deb 2> /dev/null | head -1)
[[ -n $deb ]] || die "dpkg-buildpackage produced no gamesched_*.deb in $out"

lintian_ok=1
lintian --fail-on error,warning --display-info "$out"/*.changes > "$out/lintian.log" 2>&1 || lintian_ok=0
sed 's/^/lintian: /' "$out/lintian.log" >&2
((lintian_ok)) || die "lintian failed or reports errors or warnings (above; lintian --info explains tags)"
log "lintian: $(grep -c '^E: ' "$out/lintian.log") errors, $(grep -c '^W: ' "$out/lintian.log") warnings"
echo "$deb"
