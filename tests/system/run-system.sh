#!/bin/bash
# The full-system test: the .deb built from this checkout, installed the way README's Install
# section says, in a Debian 12 system booted with systemd as PID 1 on the sched_ext kernel under
# qemu. Two boots of the same image:
#   1. README's Install commands (taken from README.md, run word for word in the running guest);
#      the files they created come back to the host over a virtio port;
#   2. the installed system boots again, and every check script in checks/ runs in that boot.
# Their GS-CHECK lines become this test's result. Exit 0 only if both boots ran to their end,
# every check passed and the kernel did not oops.
#
# Usage: run-system.sh BUILD_DIR   (GS_SYSTEM_DEB=FILE tests that package instead of building
# one: for work on the checks only; ./run test always builds the checkout's own;
# GS_SYSTEM_CHECKS='30-*' runs only the checks that match)
set -uo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/console.sh"
root_dir=$(cd "$here/../.." && pwd)
timeout_s=${GS_SYSTEM_TIMEOUT:-1200}
guest_lib=usr/local/lib/gamesched-system-test

fail() { echo "FAIL: $*"; exit 1; }
elapsed_since() { echo "$EPOCHREALTIME - $1" | bc; }
[[ $(id -u) == 0 ]] || fail "the full-system test needs root (image build)"

test_start=$EPOCHREALTIME
t=$EPOCHREALTIME
if [[ -n ${GS_SYSTEM_DEB:-} ]]; then   # working on the checks: an already built package
    deb=$(realpath "$GS_SYSTEM_DEB")
else
    deb=$("$root_dir/tools/package.sh" "$build") || fail "the package did not build (see above)"
fi
echo "== package $deb (built or taken from the cache, lintian-checked) in $(elapsed_since "$t") s"
# README's Install section: the first ```sh block after the "## Install" heading.
install_cmds=$(awk '/^## Install/{s=1} s&&/^```sh/{b=1;next} b&&/^```/{exit} b&&!/^ *(#|$)/' "$root_dir/README.md")
[[ -n $install_cmds ]] || fail "README.md has no \`\`\`sh block under '## Install'"
# The packages its apt command names besides the .deb come into the image with the package's own
# dependencies, so that the guest installs offline.
read -ra readme_pkgs < <(grep -m1 -o 'apt install .*' <<<"$install_cmds" | tr ' ' '\n' | tail -n +3 | grep -v '^[-.]' | xargs)
t=$EPOCHREALTIME
image=$("$here/build-rootfs.sh" "$deb" "${readme_pkgs[@]}") || fail "no root filesystem"
echo "== image $image ready in $(elapsed_since "$t") s"
kernel=$("$root_dir/tests/vm/fetch-kernel.sh") || fail "no sched_ext kernel available"
kver=$(cat "$kernel/version")

work=$(mktemp -d /var/tmp/gamesched-system.XXXXXX)
trap 'rm -rf "$work"' EXIT

# What the test adds to the image, as one more cpio archive after it: the check runner and its
# checks, README's Install commands, the package, the input modules of the kernel we boot.
# (Only real directories: lib, bin and sbin are symlinks into usr in the image.)
layer=$work/layer
mkdir -p "$layer/$guest_lib/checks" "$layer/etc/systemd/system/multi-user.target.wants" \
    "$layer/usr/lib/modules/$kver/kernel" "$layer/var/tmp/gamesched-install"
cp "$here/guest/lib.sh" "$here/guest/run-checks" "$here/guest/install.sh" \
    "$root_dir/tests/vm/guest/report.sh" "$layer/$guest_lib/"
cp "$here"/checks/${GS_SYSTEM_CHECKS:-*}.sh "$layer/$guest_lib/checks/" || fail "no check matches GS_SYSTEM_CHECKS=$GS_SYSTEM_CHECKS"
cp "$here/guest/gamesched-system-test.service" "$layer/etc/systemd/system/"
ln -s ../gamesched-system-test.service "$layer/etc/systemd/system/multi-user.target.wants/"
cp "$kernel"/modules/*.ko "$layer/usr/lib/modules/$kver/kernel/"
touch "$layer/usr/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo}
depmod -b "$layer/usr" "$kver" || fail "depmod"
# Under the name dpkg-buildpackage gives it, which README's command matches (gamesched_*.deb).
deb_name=$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb
cp "$deb" "$layer/var/tmp/gamesched-install/$deb_name"
echo "$install_cmds" > "$layer/$guest_lib/install-commands"
(cd "$layer" && find . -print0 | cpio --null -o -H newc --quiet | zstd -q -3) > "$work/layer.cpio.zst" \
    || fail "packing the test layer"

# The root file system is the initramfs (no switch_root): systemd runs from it as PID 1.
# no_timer_check: a starved TCG guest can fail the kernel's IO-APIC timer check and panic
# ("IO-APIC + timer doesn't work!", seen at load 20); the timer works, the check is too strict.
boot() { # boot NAME INITRD [QEMU_ARGS...]: one qemu run, its console read by read_console
    local name=$1 initrd=$2; shift 2
    local qemu=(qemu-system-x86_64 -M pc -accel tcg -cpu max -smp "${GS_VM_CPUS:-2}" -m "${GS_VM_MEM:-1536M}"
        -nographic -no-reboot -nic none -kernel "$kernel/vmlinux" -initrd "$initrd" "$@"
        -append "console=ttyS0 rdinit=/sbin/init systemd.unit=multi-user.target panic=-1 quiet loglevel=4 no_timer_check")
    echo "== boot: $name"
    CONSOLE_START=$EPOCHREALTIME
    read_console GS-BOOTED < <(timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" < /dev/null 2>&1)
    echo "== $name: $CHECK_PASSES checks passed, $CHECK_FAILS failed; VM run $(elapsed_since "$CONSOLE_START") s${MARKER_S:+, qemu start → multi-user ${MARKER_S} s}"
}
echo "== kernel $kver, $(qemu-system-x86_64 --version | head -1)"

cat "$image/image.cpio.zst" "$work/layer.cpio.zst" > "$work/initrd-install"
: > "$work/changes.cpio"
boot "installation (README's Install commands)" "$work/initrd-install" \
    -device virtio-serial-pci -chardev "file,id=changes,path=$work/changes.cpio" \
    -device virtserialport,chardev=changes,name=org.gamesched.changes
install_passes=$CHECK_PASSES install_fails=$CHECK_FAILS
[[ $KERNEL_OOPS == 0 ]] || fail "the guest kernel oopsed or panicked while installing"
install_result=$GUEST_RESULT
# A failed check of the installation fails the test, but the installed system still boots when
# the files came back: its checks say more than the one failure.
[[ -n $install_result ]] && ((install_passes > 0)) && [[ -s $work/changes.cpio ]] \
    || fail "the installation did not finish (no result, or the installed files did not come back)"

zstd -q -3 < "$work/changes.cpio" > "$work/changes.cpio.zst"
cat "$work/initrd-install" "$work/changes.cpio.zst" > "$work/initrd-installed"
boot "the installed system" "$work/initrd-installed"
echo "== system test: $((install_passes + CHECK_PASSES)) checks passed, $((install_fails + CHECK_FAILS)) failed;" \
    "wall time $(elapsed_since "$test_start") s (package, image, two boots)"
[[ $install_result == PASS ]] && ((install_fails == 0)) || { echo "FAIL: the installation (boot 1)"; exit 1; }
console_verdict "full-system test" "$timeout_s"
