#!/bin/bash
# Builds, once, a Debian trixie root filesystem holding Plasma 6's KWin (kwin_wayland 6.x) and
# Xwayland for the real-KWin-6 integration test, and prints its path. This machine runs bookworm
# (KWin 5.27); the test runs trixie's KWin inside this tree (enter-root.sh).
#
# Cached in $GAMESCHED_CACHE/trixie-kwin6/<key>/ (default /var/cache/gamesched-vm), where <key> is
# a hash of this file: changing the recipe builds a new tree (trees of other recipes are removed
# after a day). The apt
# source is derived from the machine's /etc/apt/sources.list.d/debian.sources with another
# Suites: line, so no mirror host is written down here. Needs root (chroot, device nodes).
#
# Recipe: mmdebstrap's "extract" variant unpacks the packages and their dependencies without
# running maintainer scripts (about 300 packages; nothing in them is needed to run KWin
# headless, and skipping them is most of the build time). dash provides /usr/bin/sh, through
# which Xwayland runs xkbcomp. The empty /etc/passwd and /etc/group are mount points for the
# host's: KWin grants X access to the local user by name.
set -euo pipefail

PACKAGES=kwin-wayland,xwayland,dash
SUITE=trixie
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources
BASE="${GAMESCHED_CACHE:-/var/cache/gamesched-vm}/trixie-kwin6"

log() { echo "trixie-root: $*" >&2; }
die() { log "error: $*"; exit 1; }

key=$(sha256sum "$0" | cut -c1-16)
out="$BASE/$key"
if [[ -f $out/.complete ]]; then echo "$out/root"; exit 0; fi

[[ $(id -u) == 0 ]] || die "building the trixie root needs root (mmdebstrap --mode=root); run the tests as root"
command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; ./run setup installs it"
[[ -r $HOST_SOURCES ]] || die "$HOST_SOURCES not found; the trixie apt source is derived from it"

mkdir -p "$BASE"
exec 9>"$BASE/.lock"
flock 9  # another test run may be building the same tree
if [[ -f $out/.complete ]]; then echo "$out/root"; exit 0; fi

work="$BASE/.build-$key"
rm -rf "$work"
mkdir -p "$work"
# First deb822 stanza of the main archive (not security), with trixie instead.
awk 'BEGIN{RS="";ORS="\n\n"} /debian-security/{next} {print; exit}' "$HOST_SOURCES" \
    | sed "s/^Suites:.*/Suites: $SUITE/" > "$work/trixie.sources"
grep -q '^URIs:' "$work/trixie.sources" || die "no URIs: line in $HOST_SOURCES"

log "building a $SUITE root with $PACKAGES (once; cached in $BASE)"
start=$(date +%s)
mmdebstrap --mode=root --variant=extract --include="$PACKAGES" --skip=check/signed-by \
    "$SUITE" "$work/root" "$work/trixie.sources" >&2 \
    || die "mmdebstrap failed (see above); is the trixie archive reachable through $HOST_SOURCES?"
[[ -x $work/root/usr/bin/kwin_wayland && -x $work/root/usr/bin/Xwayland ]] \
    || die "the built tree lacks kwin_wayland or Xwayland"
touch "$work/root/etc/passwd" "$work/root/etc/group"
seconds=$(( $(date +%s) - start ))
echo "$seconds" > "$work/build-seconds"
cp "$0" "$work/recipe.sh"

# Trees of older recipes, once no test run of an older checkout can still be using them.
find "$BASE" -mindepth 1 -maxdepth 1 -type d -regex '.*/[0-9a-f]+' -mmin +1440 -exec rm -rf {} +
mv "$work" "$out"
touch "$out/.complete"
log "built in ${seconds}s: $(chroot "$out/root" /usr/bin/kwin_wayland --version 2>/dev/null || echo kwin_wayland)"
echo "$out/root"
