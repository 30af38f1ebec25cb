#!/bin/bash
# Downloads (never installs) a Debian kernel built with CONFIG_SCHED_CLASS_EXT=y and prepares
# what the VM harness boots: the ELF vmlinux (PVH entry, faster than the bzImage), its config,
# and the input modules (uncompressed: busybox insmod cannot decompress).
#
# The apt configuration is private (own lists, cache and sources), derived from the machine's
# /etc/apt/sources.list.d/debian.sources with another Suites: line, so the host's apt state is
# untouched and no mirror host is written down here.
#
# Usage: fetch-kernel.sh [CACHE_DIR]   prints the directory holding vmlinux, config, modules/
set -euo pipefail

# Pinned: exists in trixie-backports; the newest kernel with the option is the fallback.
PINNED_VERSION="${GAMESCHED_KERNEL_VERSION:-7.3.4+deb13-amd64}"
SUITES="trixie-backports sid"
CACHE="${1:-${GAMESCHED_CACHE:-/var/cache/gamesched-vm}}"
APTDIR="$CACHE/apt"
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources

log() { echo "fetch-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

ready_dir_for() { echo "$CACHE/kernel-$1"; }

# One fetch at a time: the private apt state runs without apt's own lock (Debug::NoLocking), and
# two runs side by side (./run bench in two checkouts) would tear each other's lists. The second
# waits, then finds the kernel the first one prepared.
mkdir -p "$CACHE"
exec 9>"$CACHE/.fetch.lock"
flock 9

if [[ -f "$CACHE/current" ]]; then
    current=$(cat "$CACHE/current")
    if [[ -f "$(ready_dir_for "$current")/.complete" ]]; then
        ready_dir_for "$current"
        exit 0
    fi
fi

[[ -r $HOST_SOURCES ]] || die "$HOST_SOURCES not found; this harness derives its kernel source from it"
mkdir -p "$APTDIR"/{lists/partial,cache/archives/partial,sources.list.d,preferences.d}

# First deb822 stanza of the main archive (not security), with our suites instead.
awk 'BEGIN{RS="";ORS="\n\n"} /debian-security/{next} {print; exit}' "$HOST_SOURCES" \
    | sed "s/^Suites:.*/Suites: $SUITES/" > "$APTDIR/sources.list.d/kernel.sources"
grep -q '^URIs:' "$APTDIR/sources.list.d/kernel.sources" || die "no URIs: line in $HOST_SOURCES"

APT_OPTS=(-o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache"
          -o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$APTDIR/sources.list.d"
          -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=$APTDIR/preferences.d"
          -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1" -q)
log "updating private package lists ($SUITES)"
apt-get "${APT_OPTS[@]}" update >&2 || die "apt-get update failed for $SUITES"

available_versions() {
    apt-cache "${APT_OPTS[@]}" pkgnames linux-binary- 2>/dev/null \
        | sed -n 's/^linux-binary-\(.*-amd64\)$/\1/p' | sort -V -r
}

has_sched_ext() { # version, workdir → 0 if its config has CONFIG_SCHED_CLASS_EXT=y
    local ver=$1 work=$2
    ( cd "$work" && apt-get "${APT_OPTS[@]}" download "linux-base-$ver" >&2 ) || return 1
    local deb; deb=$(ls "$work"/linux-base-*.deb 2>/dev/null | head -1)
    [[ -n $deb ]] && dpkg-deb -x "$deb" "$work/base" || return 1
    grep -qx 'CONFIG_SCHED_CLASS_EXT=y' "$work/base/usr/lib/modules/$ver/config"
}

candidates=("$PINNED_VERSION")
while read -r v; do [[ $v != "$PINNED_VERSION" && $v != *cloud* ]] && candidates+=("$v"); done < <(available_versions)

chosen=""
for ver in "${candidates[@]}"; do
    work="$CACHE/dl-$ver"; rm -rf "$work"; mkdir -p "$work"
    if has_sched_ext "$ver" "$work"; then chosen=$ver; break; fi
    log "kernel $ver unavailable or lacks CONFIG_SCHED_CLASS_EXT=y; trying the next"
    rm -rf "$work"
done
[[ -n $chosen ]] || die "no kernel with CONFIG_SCHED_CLASS_EXT=y in $SUITES"
log "using kernel $chosen (CONFIG_SCHED_CLASS_EXT=y verified in its config)"

work="$CACHE/dl-$chosen"
( cd "$work" && apt-get "${APT_OPTS[@]}" download "linux-binary-$chosen" "linux-modules-$chosen" >&2 ) \
    || die "download of linux-binary/linux-modules-$chosen failed"
for deb in "$work"/linux-binary-*.deb "$work"/linux-modules-*.deb; do dpkg-deb -x "$deb" "$work/root"; done

out=$(ready_dir_for "$chosen"); rm -rf "$out"; mkdir -p "$out/modules"
moddir="$work/root/usr/lib/modules/$chosen"
cp "$work/base/usr/lib/modules/$chosen/config" "$out/config"
cp "$moddir/vmlinuz" "$out/vmlinuz"
# The bzImage wraps a zstd-compressed ELF; find the zstd magic and decompress from there.
offset=$({ LC_ALL=C grep -obUaP -m1 '\x28\xb5\x2f\xfd' "$out/vmlinuz" || true; } | head -1 | cut -d: -f1)
[[ -n $offset ]] || die "no zstd payload in vmlinuz"
tail -c +$((offset + 1)) "$out/vmlinuz" | zstd -dq 2>/dev/null > "$out/vmlinux" || true
file_magic=$(head -c 4 "$out/vmlinux" | od -An -tx1 | tr -d ' ')
[[ $file_magic == 7f454c46 ]] || die "decompressed vmlinux is not an ELF file"
for m in drivers/input/evdev drivers/input/misc/uinput; do
    src=$(ls "$moddir/kernel/$m.ko"* 2>/dev/null | head -1) || true
    [[ -n $src ]] || die "module $m missing from linux-modules-$chosen"
    case $src in *.xz) xz -dc "$src";; *.zst) zstd -dqc "$src";; *) cat "$src";; esac > "$out/modules/$(basename "$m").ko"
done
echo "$chosen" > "$out/version"
rm -rf "$work"
touch "$out/.complete"
echo "$chosen" > "$CACHE/current"
echo "$out"
