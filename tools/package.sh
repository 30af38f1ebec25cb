#!/bin/bash
# Builds the Debian package of this checkout with dpkg-buildpackage -us -uc -b and checks it with
# lintian (any error or warning fails). The build runs in a copy of the checkout's files (tracked,
# plus new ones not ignored) under BUILD_DIR/package/src, so the tree stays clean and the results
# land in one known place: BUILD_DIR/package/gamesched_<version>_<arch>.deb.
#
# A full package build is a second, optimised compilation of the whole product (minutes on two
# cores), so the results are kept in $GAMESCHED_PACKAGE_CACHE (/var/cache/gamesched-package), one
# directory per hash of the sources and DEB_BUILD_OPTIONS, the newest $KEEP of them: an
# unchanged checkout (the next ./run test, the system test after ./run package) reuses its .deb.
# DEB_BUILD_OPTIONS defaults to noautodbgsym: nothing uses the debug-symbols package, and
# compressing it costs minutes.
#
# Usage: package.sh BUILD_DIR    prints the path of the .deb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "$1")/package
src=$out/src
cache=${GAMESCHED_PACKAGE_CACHE:-/var/cache/gamesched-package}
KEEP=3

log() { echo "package: $*" >&2; }
die() { log "error: $*"; exit 1; }

command -v dpkg-buildpackage > /dev/null || die "dpkg-buildpackage missing; run ./run setup"
git -C "$root" rev-parse --git-dir > /dev/null 2>&1 || die "$root is not a git checkout"

export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS-noautodbgsym}
# Without a debug-symbols package, dh_strip throws the compile's debug information away: leave it
# out (-g changes no generated code in GCC, and at -O2 it costs half again the CPU time of a
# template-heavy file: 13.1 against 8.8 s for tools/bench/report.cpp).
if [[ " $DEB_BUILD_OPTIONS " == *" noautodbgsym "* ]]; then
    export DEB_CFLAGS_STRIP=-g DEB_CXXFLAGS_STRIP=-g
fi
source_files() { git -C "$root" ls-files -z --cached --others --exclude-standard; }
# The key: every file the package is built from, and the build options. Not tests/ (the package
# configures with -Dtests=false, so a changed check does not rebuild it) nor Markdown documents
# (neither built nor installed; the man pages are scdoc).
key=$( { (cd "$root" && source_files | grep -zv -e '^tests/' -e '\.md$' | xargs -0 sha256sum 2> /dev/null)
         echo "DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-}"; } | sha256sum | cut -c1-16)
results() { ls "$1"/gamesched_*.deb "$1"/*.changes "$1"/*.buildinfo "$1"/lintian.log "$1"/build.log 2> /dev/null; }

rm -rf "$out"; mkdir -p "$out"
if [[ -f $cache/$key/.complete ]]; then
    log "unchanged sources: reusing the package built in $cache/$key"
    touch "$cache/$key"
    results "$cache/$key" | xargs cp -t "$out"
else
    mkdir -p "$src"
    source_files | tar -C "$root" --null -T - --ignore-failed-read -cf - 2> /dev/null | tar -C "$src" -xf -
    # debhelper (compat 13) points HOME into the build tree, where ccache would start empty each
    # time; dpkg-buildflags maps the source path out of the objects (-ffile-prefix-map), so
    # ccache may also ignore where the copy lies.
    if command -v ccache > /dev/null; then
        export CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)} CCACHE_NOHASHDIR=1 CCACHE_BASEDIR=$src
    fi
    log "dpkg-buildpackage -us -uc -b (log: $out/build.log)"
    start=$EPOCHREALTIME
    if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
        tail -40 "$out/build.log" >&2
        die "dpkg-buildpackage failed; the whole log is $out/build.log"
    fi
    log "built in $(echo "$EPOCHREALTIME - $start" | bc) s"
    rm -rf "$src"
    ls "$out"/gamesched_*.deb > /dev/null 2>&1 || die "dpkg-buildpackage produced no gamesched_*.deb in $out"
    lintian --fail-on error,warning --display-info "$out"/*.changes > "$out/lintian.log" 2>&1 \
        || { sed 's/^/lintian: /' "$out/lintian.log" >&2
             die "lintian failed or reports errors or warnings (above; lintian --info explains tags)"; }
    if mkdir -p "$cache" 2> /dev/null && [[ -w $cache ]]; then
        rm -rf "${cache:?}/$key"; mkdir "$cache/$key"
        results "$out" | xargs cp -t "$cache/$key" && touch "$cache/$key/.complete"
        # Bounded: only the newest builds stay.
        ls -1td "$cache"/*/ | tail -n +$((KEEP + 1)) | xargs -r rm -rf
    fi
fi
deb=$(ls "$out"/gamesched_*.deb | head -1)
sed 's/^/lintian: /' "$out/lintian.log" >&2
log "lintian: $(grep -c '^E: ' "$out/lintian.log") errors, $(grep -c '^W: ' "$out/lintian.log") warnings"
echo "$deb"
