#!/bin/bash
# Installs what building and testing gamesched needs, from Debian packages only. Idempotent:
# when every package is present at a good enough version it touches nothing.
#
# bookworm-backports is needed for libbpf >= 1.4 (struct_ops links, sleepable struct_ops),
# bpftool >= 7.4 (kfunc prototypes in vmlinux.h), meson >= 1.7, Catch2 3 and qemu 10 (qemu 7.2's
# multi-threaded TCG oopses guests while they patch static keys). Its apt source is derived from
# the machine's own debian.sources, so no mirror host is written into the repository.
set -euo pipefail

HOST_SOURCES=/etc/apt/sources.list.d/debian.sources
BPO_SOURCES=/etc/apt/sources.list.d/gamesched-bookworm-backports.sources

BACKPORTS=(libbpf-dev bpftool meson catch2 qemu-system-x86 qemu-system-data)
MAIN=(clang-19 llvm-19 lld-19 libclang-rt-19-dev clang-format clang-tidy
      g++ pkg-config ninja-build libelf-dev zlib1g-dev
      libevdev-dev libsdbus-c++-dev libsdbus-c++-bin nlohmann-json3-dev libspdlog-dev
      libsystemd-dev libseccomp-dev libcap-dev libeigen3-dev
      busybox-static cpio zstd xz-utils file bc git
      systemd dbus dbus-x11 kwin-wayland xwayland weston x11-utils libcap2-bin
      libxcb1-dev libxcb-res0-dev
      debhelper dpkg-dev lintian scdoc bash-completion mmdebstrap kmod
      libncurses-dev tmux)

# "package minimum-version" pairs that must hold afterwards.
MINIMUMS=("libbpf-dev 1:1.4" "bpftool 7.4" "meson 1.7" "catch2 3" "qemu-system-x86 1:10")

log() { echo "setup: $*" >&2; }

installed_version() { dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null | awk '/install ok installed/{print $4}'; }

# KWin 5.27 (bookworm) carries its own copy of the wl_shm interface that libwayland-server 1.22+
# (pulled in by backports' qemu/mesa) no longer matches: KWin then offers no shm buffers, Xwayland
# crashes and shm clients fail. Keep bookworm's libwayland-server0.
wayland_ok() {
    local v; v=$(installed_version libwayland-server0)
    [[ -z $v ]] || dpkg --compare-versions "$v" lt 1.22
}

all_present() {
    wayland_ok || return 1
    local p
    for p in "${BACKPORTS[@]}" "${MAIN[@]}"; do [[ -n $(installed_version "$p") ]] || return 1; done
    for m in "${MINIMUMS[@]}"; do
        set -- $m
        dpkg --compare-versions "$(installed_version "$1")" ge "$2" || return 1
    done
}

if all_present; then exit 0; fi

[[ $(id -u) == 0 ]] || { log "error: installing packages needs root; run ./run setup as root"; exit 1; }
[[ -r $HOST_SOURCES ]] || { log "error: $HOST_SOURCES not found; cannot derive bookworm-backports"; exit 1; }

if [[ ! -f $BPO_SOURCES ]]; then
    log "adding bookworm-backports (derived from $HOST_SOURCES)"
    awk 'BEGIN{RS="";ORS="\n\n"} /debian-security/{next} {print; exit}' "$HOST_SOURCES" \
        | sed 's/^Suites:.*/Suites: bookworm-backports/' > "$BPO_SOURCES"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends -t bookworm-backports "${BACKPORTS[@]}"
apt-get install -y -q --no-install-recommends "${MAIN[@]}"
if ! wayland_ok; then
    log "downgrading libwayland-server0 to bookworm's (KWin 5.27 needs it; see wayland_ok)"
    apt-get install -y -q --allow-downgrades libwayland-server0/bookworm
fi

for m in "${MINIMUMS[@]}"; do
    set -- $m
    dpkg --compare-versions "$(installed_version "$1")" ge "$2" \
        || { log "error: $1 is $(installed_version "$1"), need >= $2"; exit 1; }
done
wayland_ok || { log "error: libwayland-server0 is $(installed_version libwayland-server0); KWin needs < 1.22"; exit 1; }
log "all dependencies present"
