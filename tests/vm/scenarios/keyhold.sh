#!/bin/sh
# Key-hold: while a key stays down the keyboard's boost window stays open, up to the hold bound
# (2 s after the press, bpf/keyhold.h); after the release it closes one keyboard window (100 ms)
# later. The probe's uinput keyboard has kernel autorepeat on: evdev readers get repeats, the
# in-kernel input_event hook does not (the input core's repeat timer bypasses input_event), which
# is why the hold is built on press and release. Both input paths: in-kernel and userspace.
. /gamesched/lib.sh

# hold PATH_LABEL HOLD_MS: runs the probe, keeps its JSON line in /tmp/hold-$1-$2.json
hold() {
    key-hold-probe "$2" > /tmp/hold-$1-$2.json
    echo "GS-KEYHOLD $1 $(cat /tmp/hold-$1-$2.json)"
}
# in_range FILE KEY LOW HIGH: the number is within [LOW, HIGH]
in_range() { awk -v v="$(json_number "$1" "$2")" -v lo="$3" -v hi="$4" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }
below() { awk -v v="$(json_number "$1" "$2")" -v hi="$3" 'BEGIN { exit !(v != "" && v < hi) }'; }

check "uinput and evdev modules load" load_input_modules
start_core --stats 1
check "core attached" wait_for 20 is_enabled_with gamesched
check "core uses the in-kernel input path" wait_for 5 grep -q 'input boost: in-kernel path' /tmp/core.log

hold kernel 1500
f=/tmp/hold-kernel-1500.json
check "kernel: autorepeat reached evdev readers while the key was held" in_range $f evdev_repeats 1 1000
info "kernel: input_event calls during the hold after the press: $(json_number $f bpf_events_in_hold) (autorepeat bypasses input_event)"
check "kernel: the press opened the window for the hold bound (2 s)" in_range $f end_after_press_ms 2000 2050
check "kernel: the window stayed open all through a 1.5 s hold" in_range $f open_pct_in_hold 100 100
check "kernel: the release set the window to close one keyboard window (100 ms) later" in_range $f end_after_release_ms 100 150
check "kernel: the window was seen closed after the release" in_range $f closed_after_ms 0 2000

hold kernel 3000
f=/tmp/hold-kernel-3000.json
check "kernel: a key held past the bound no longer holds the window open" below $f open_pct_in_hold 90
check "kernel: ... and the bound is 2 s from the press" in_range $f end_after_press_ms 2000 2050
kill -TERM $CORE_PID; wait $CORE_PID
dump_core_log | grep -v counters

info "userspace fallback path"
start_core --stats 1 --input-path userspace
check "core attached (userspace input path)" wait_for 20 is_enabled_with gamesched
check "core uses the userspace input path" wait_for 5 grep -q 'input boost: userspace path' /tmp/core.log
hold userspace 1500
f=/tmp/hold-userspace-1500.json
check "userspace: the press opened the window for the hold bound" in_range $f end_after_press_ms 2000 3000
check "userspace: the window stayed open all through a 1.5 s hold" in_range $f open_pct_in_hold 100 100
check "userspace: the release set the window to close one keyboard window later" in_range $f end_after_release_ms 100 1100
kill -TERM $CORE_PID; wait $CORE_PID
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
finish
