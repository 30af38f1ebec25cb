#!/bin/sh
# Input boost: uinput devices with vendor ids no list could know open their class's boost window
# in the kernel; event→window latency from CLOCK_MONOTONIC timestamps. Then the userspace
# fallback path does the same when the in-kernel program is not used.
. /gamesched/lib.sh
check "uinput and evdev modules load" load_input_modules
start_core_as_shipped --stats 1
check "core attached" wait_for 20 is_enabled_with gamesched
check "core uses the in-kernel input path" wait_for 5 grep -q 'input boost: in-kernel path' /tmp/core.log
for cls in keyboard mouse gamepad; do
    out=$(input-probe $cls 60)
    rc=$?
    echo "GS-INPUT kernel-path $out"
    check "$cls: every event opened the window (in kernel)" [ $rc = 0 ]
done
sleep 2
check "core classified the devices by capability" sh -c "grep -q 'is a keyboard' /tmp/core.log && grep -q 'is a mouse' /tmp/core.log && grep -q 'is a gamepad' /tmp/core.log"
for c in keyboard mouse gamepad; do
    n=$(counter_sum input_$c)
    info "input_$c counter: $n"
    check "input_$c counter moved (>= 60 events)" [ "$n" -ge 60 ]
done
kill -TERM $CORE_PID; wait $CORE_PID

info "userspace fallback path"
start_core_as_shipped --stats 1 --input-path userspace
check "core attached (userspace input path)" wait_for 20 is_enabled_with gamesched
check "core uses the userspace input path" wait_for 5 grep -q 'input boost: userspace path' /tmp/core.log
out=$(input-probe keyboard 30)
rc=$?
echo "GS-INPUT userspace-path $out"
check "keyboard: every event opened the window (userspace path)" [ $rc = 0 ]
kill -TERM $CORE_PID; wait $CORE_PID
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
dump_core_log | grep -v counters
finish
