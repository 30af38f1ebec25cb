#!/bin/bash
# Builds (once) the Debian 12 root filesystem the full-system test boots: minbase with systemd as
# init, the system and session buses, logind, polkit, sudo, a desktop user (uid 1000, "player")
# and gamesched's run-time dependencies, so that installing the .deb in the guest needs no
# network. The dependencies are those the package declares (its Depends:) plus the packages
# README's install command names next to the .deb (libbpf1/bookworm-backports), so nothing here
# has to follow the package by hand. The apt lists and apt's binary caches stay in the image
# (see guest/customize-image.sh). Kept as a zstd-compressed cpio archive (the guest boots it as
# its initramfs) in $GAMESCHED_SYSTEM_IMAGE_CACHE (/var/cache/gamesched-system-image)/<hash of
# this recipe, the dependencies and the apt sources>/; a changed recipe builds a new one and
# removes the old, so the cache holds one image (≈ 40 MB).
#
# The image's apt sources are the machine's own /etc/apt/sources.list.d/debian.sources (main
# archive stanza) with bookworm-backports added, as README's Install section tells users to do.
# guest/customize-image.sh adds the user and keeps the boot quiet.
#
# Usage: build-rootfs.sh DEB [PACKAGE...]   prints the directory holding image.cpio.zst
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${GAMESCHED_SYSTEM_IMAGE_CACHE:-/var/cache/gamesched-system-image}
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources
SUITES="bookworm bookworm-updates bookworm-backports"
TEST_USER=player TEST_UID=1000

PACKAGES=(
    # init, buses, sessions, the tools the checks use
    systemd systemd-sysv udev dbus dbus-user-session libpam-systemd polkitd pkexec sudo
    util-linux procps kmod cpio libcap2-bin
    # merged /usr as it is, without usrmerge's perl
    usr-is-merged
)

log() { echo "build-rootfs: $*" >&2; }
die() { log "error: $*"; exit 1; }

deb=${1:?usage: build-rootfs.sh DEB [PACKAGE...]}; shift
[[ -r $deb ]] || die "no package at $deb"
# "libfoo (>= 1), libbar | libbaz" -> libfoo libbar: the first of each alternative, no versions.
mapfile -t deps < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' \
    | grep -v '^$' | sort -u)
for extra in "$@"; do  # libbpf1/bookworm-backports replaces libbpf1
    for i in "${!deps[@]}"; do [[ ${deps[i]} == "${extra%%/*}" ]] && unset "deps[i]"; done
done
mapfile -t PACKAGES < <(printf '%s\n' "${PACKAGES[@]}" "${deps[@]}" "$@" | sort -u)

[[ -r $HOST_SOURCES ]] || die "$HOST_SOURCES not found; the image's apt sources are derived from it"
sources=$(awk 'BEGIN{RS="";ORS="\n"} /debian-security/{next} {print; exit}' "$HOST_SOURCES" \
    | sed "s/^Suites:.*/Suites: $SUITES/")
grep -q '^URIs:' <<<"$sources" || die "no URIs: line in $HOST_SOURCES"

key=$( { cat "$0" "$here/guest/customize-image.sh" "$here/guest/getty-autologin.conf"
         echo "$sources"; printf '%s\n' "${PACKAGES[@]}"; } | sha256sum | cut -c1-16)
out="$CACHE/$key"
if [[ -f $out/.complete ]]; then echo "$out"; exit 0; fi

[[ $(id -u) == 0 ]] || die "building the image needs root (mmdebstrap --mode=root, chroot)"
command -v mmdebstrap > /dev/null || die "mmdebstrap missing; run ./run setup"
mkdir -p "$CACHE"
# Only one recipe is kept: an older image is useless once the recipe changed.
find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
rm -rf "$out"; mkdir -p "$out"
printf '%s\n' "$sources" > "$out/debian.sources"

log "building $out (mmdebstrap, ${#PACKAGES[@]} packages on minbase)"
start=$EPOCHREALTIME
include=$(IFS=,; echo "${PACKAGES[*]}")
# Without documentation, translations and leap-second zones (the fewer files, the faster the
# guest unpacks its initramfs), but with gamesched's man pages, which the checks look for.
mmdebstrap --mode=root --variant=minbase --format=directory --include="$include" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-include=/usr/share/man/man?/gamesched*' \
    --dpkgopt='path-exclude=/usr/share/zoneinfo/right/*' --dpkgopt='path-exclude=/usr/lib/udev/hwdb.d/*' \
    --customize-hook="\"$here/guest/customize-image.sh\" \"\$1\" $TEST_USER $TEST_UID" \
    --skip=cleanup/apt \
    bookworm "$out/root" "$out/debian.sources" >&2 \
    || die "mmdebstrap failed"
(cd "$out/root" && find . -print0 | cpio --null -o -H newc --quiet) | zstd -q -T0 -3 > "$out/image.cpio.zst" \
    || die "packing the image"
log "built in $(echo "$EPOCHREALTIME - $start" | bc) s: $(du -sm "$out/root" | cut -f1) MB," \
    "$(du -m "$out/image.cpio.zst" | cut -f1) MB compressed"
rm -rf "$out/root"
touch "$out/.complete"
echo "$out"
