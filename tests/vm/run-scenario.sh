#!/bin/bash
# Boots the sched_ext kernel under qemu (TCG) with our binaries, runs one guest scenario, and
# turns its GS-CHECK lines into this test's result. Exit 0 only if the guest ran to its end,
# every check passed and the kernel did not oops.
# Usage: run-scenario.sh BUILD_DIR SCENARIO [EXTRA_KERNEL_ARGS...]
set -uo pipefail
build=$1 scenario=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/console.sh"
timeout_s=${GS_VM_TIMEOUT:-300}

kernel=$("$here/fetch-kernel.sh") || { echo "FAIL: no sched_ext kernel available"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/build-initramfs.sh" "$build" "$kernel" "$work/initramfs.cpio" || { echo "FAIL: initramfs"; exit 1; }

# qemu 10 multi-threaded TCG: stable in the recipe's 48 boots (qemu 7.2's was not).
# GS_VM_ICOUNT=1: single-threaded TCG with guest time counted in instructions (the benchmark's
# throughput mode: repeatable whatever the host's load).
accel=(-accel tcg)
mode="multi-threaded TCG"
if [[ ${GS_VM_ICOUNT:-0} == 1 ]]; then
    accel=(-accel tcg,thread=single -icount shift=0,sleep=off)
    mode="single-threaded TCG, icount shift=0 sleep=off"
fi
qemu=(qemu-system-x86_64 -M pc "${accel[@]}" -cpu max -smp "${GS_VM_CPUS:-2}" -m "${GS_VM_MEM:-1G}"
      -nographic -no-reboot -nic none
      -kernel "$kernel/vmlinux" -initrd "$work/initramfs.cpio"
      # no_timer_check: a TCG guest starved by a busy host can fail the IO-APIC timer check at
      # boot and panic ("timer doesn't work"); the check proves nothing about an emulated timer.
      -append "console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check gs_scenario=$scenario $*")

echo "== VM scenario '$scenario' on kernel $(cat "$kernel/version"), $(qemu-system-x86_64 --version | head -1), $mode"
boot() {
    CONSOLE_START=$EPOCHREALTIME
    read_console GS-ATTACHED < <(timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" < /dev/null 2>&1)
    elapsed=$(echo "$EPOCHREALTIME - $CONSOLE_START" | bc)
}
boot
# A guest that printed nothing of its own (not one GS- line) never reached its init: under a
# busy host, TCG guests have stalled twice right after the BIOS ("Booting from ROM..") with no
# kernel line. That is the emulator, not gamesched, so such a boot is tried once more (said here).
if [[ -z $GUEST_RESULT && $GUEST_LINES == 0 && $KERNEL_OOPS == 0 ]]; then
    echo "== the guest never reached its init in ${elapsed}s (nothing after the BIOS): booting it once more"
    boot
fi

echo "== scenario '$scenario': $CHECK_PASSES checks passed, $CHECK_FAILS failed; VM run ${elapsed}s${MARKER_S:+, qemu start → attached ${MARKER_S}s}"
console_verdict "scenario '$scenario'" "$timeout_s"
