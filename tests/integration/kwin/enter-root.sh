#!/bin/bash
# Runs a program of another Debian root filesystem (trixie-root.sh's) on this machine's session:
#   enter-root.sh ROOT PROGRAM [ARGS...]
# in a private mount namespace (unshare; no systemd-nspawn here: systemd is not PID 1, and the
# mounts vanish with the last process inside, also when the test is killed), chrooted into ROOT.
#
# Shared with the host, so that clients and the helper outside talk to the program inside:
#   /tmp   the test's XDG_RUNTIME_DIR, HOME and bus socket live there, and Xwayland's
#          /tmp/.X11-unix sockets and /tmp/.X<n>-lock files must be the host's so display
#          numbers do not collide with other X servers on this machine;
#   /proc  the same pid namespace: the pids KWin reports are the host's;
#   /dev, /sys, /etc/passwd, /etc/group.
# ROOT itself is mounted read-only: the cached tree is never changed by a run. The environment
# passes through unchanged. Needs root.
set -euo pipefail

if [[ ${1:-} != --inside ]]; then
    [[ $# -ge 2 ]] || { echo "usage: enter-root.sh ROOT PROGRAM [ARGS...]" >&2; exit 2; }
    [[ -d $1/usr ]] || { echo "enter-root.sh: $1 is not a root filesystem" >&2; exit 2; }
    exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
root=$1
shift
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /tmp "$root/tmp"
mount --bind /etc/passwd "$root/etc/passwd"
mount --bind /etc/group "$root/etc/group"
exec /usr/sbin/chroot "$root" "$@"
