#!/bin/bash
# Builds the guest's initramfs (an uncompressed cpio): busybox, our binaries with the shared
# libraries they need, the input modules, the guest scripts and scenarios.
# Usage: build-initramfs.sh BUILD_DIR KERNEL_DIR OUTPUT
set -euo pipefail
build=$1 kernel=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,run,etc,root,lib/modules,gamesched,scenarios,home/player}
cp /bin/busybox "$stage/bin/busybox"
# One process for the applets' ~400 links (a fork per link took seconds of every VM test).
"$stage/bin/busybox" --list | python3 -c 'import os, sys
for applet in sys.stdin.read().split():
    link = os.path.join(sys.argv[1], applet)
    if not os.path.lexists(link):
        os.symlink("busybox", link)' "$stage/bin"
echo 'root:x:0:0:root:/root:/bin/sh' > "$stage/etc/passwd"
echo 'player:x:1000:1000:player:/home/player:/bin/sh' >> "$stage/etc/passwd"
printf 'root:x:0:\ngamesched:x:900:\nplayer:x:1000:\n' > "$stage/etc/group"
chown 1000:1000 "$stage/home/player"

# Binaries go in without their debug information: nothing in the guest reads it, and the debug
# build's would make the archive 200 MB that every boot copies and unpacks under emulation. The
# shared libraries they need are gathered first and copied once each (copy_libs, at the end).
declare -A libs=()
copy_with_libs() { # binary → /gamesched/; the shared libraries it needs go into `libs`
    local bin=$1 lib
    strip --strip-debug -o "$stage/gamesched/${bin##*/}" "$bin"
    while read -r lib; do libs[$lib]=1; done < <(ldd "$bin" | awk '/=> \//{print $3} /^\t\/lib/{print $1}')
}
copy_libs() { # every gathered library at its own path, symlinks resolved
    (( ${#libs[@]} )) || return 0
    printf '%s\0' "${!libs[@]}" | xargs -0 cp -L --parents -t "$stage"
}

copy_with_libs "$build/core/gamesched-core"
while read -r exe; do copy_with_libs "$exe"; done < <(
    find "$build/tools" "$build/helpers" "$build/tests/vm" -maxdepth 3 -type f -perm -u+x 2>/dev/null \
        | while read -r f; do [[ $(head -c4 "$f" | od -An -tx1 | tr -d ' ') == 7f454c46 ]] && echo "$f"; done)
# setpriv starts the core with exactly the capabilities the shipped unit leaves it, and
# systemd-socket-activate passes it its sockets as gamesched.socket does.
copy_with_libs "$(command -v setpriv)"
copy_with_libs "$(command -v systemd-socket-activate)"
# tmux is the terminal `gameschedctl top` draws on in the top scenario; ncurses needs its
# terminfo entries, tmux a UTF-8 locale (glibc's C.UTF-8).
copy_with_libs "$(command -v tmux)"
mkdir -p "$stage/lib/terminfo/s" "$stage/lib/terminfo/t" "$stage/usr/lib/locale"
cp /lib/terminfo/s/screen "$stage/lib/terminfo/s/" && cp /lib/terminfo/t/tmux "$stage/lib/terminfo/t/"
cp -r /usr/lib/locale/C.utf8 "$stage/usr/lib/locale/"
cp "$here/../../packaging/systemd/system/gamesched.service" "$stage/gamesched/"
# ld.so for the x86-64 ABI lives under /lib64 too.
mkdir -p "$stage/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"

cp "$kernel"/modules/*.ko "$stage/lib/modules/"
# Data files where this build's binaries look for them (its prefix/datadir, as meson install
# would put them); /usr/share/gamesched names the same directory for scenarios that name it.
datadir=$(python3 -c 'import json, os, sys
opts = {o["name"]: o["value"] for o in json.load(open(sys.argv[1]))}
print(os.path.join(opts["prefix"], opts["datadir"]))' "$build/meson-info/intro-buildoptions.json")
mkdir -p "$stage$datadir/gamesched/rules.d"
cp "$here/../../core/thread-roles.json" "$stage$datadir/gamesched/"
cp "$here"/../../helpers/detect/rules.d/*.json "$stage$datadir/gamesched/rules.d/"
if [[ $datadir != /usr/share ]]; then
    mkdir -p "$stage/usr/share"
    ln -s "$datadir/gamesched" "$stage/usr/share/gamesched"
fi
cp "$here/guest/init" "$stage/init"
cp "$here/guest/lib.sh" "$here/guest/report.sh" "$here/guest/bench-lib.sh" "$stage/gamesched/"
cp "$here"/scenarios/*.sh "$stage/scenarios/"
chmod +x "$stage/init" "$stage"/scenarios/*.sh

copy_libs
chmod 755 "$stage"
chmod 1777 "$stage/tmp"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
