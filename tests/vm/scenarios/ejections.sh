#!/bin/sh
# Ejections, each logged with the kernel's reason: SysRq-S (the user's escape hatch: the core
# stays off), an error raised on purpose (bounded re-attach attempts with backoff, then give
# up), and the kernel's restart request on CPU hotplug (re-attach).
. /gamesched/lib.sh

info "1. SysRq-S"
start_core_as_shipped
check "core attached" wait_for 20 is_enabled_with gamesched
echo S > /proc/sysrq-trigger
check "SysRq-S leaves the system on the fair class" wait_for 5 is_disabled
check "the core exits by itself" wait_for 10 sh -c "! kill -0 $CORE_PID 2>/dev/null"
wait $CORE_PID; rc=$?
check "exit status 10, stopped by the user: the unit stops its sockets (rc=$rc)" [ $rc = 10 ]
check "the core logged the kernel's reason" grep -q 'disabled by SysRq-S' /tmp/core.log
check "the log says the scheduler stays off and how to start it" \
    grep -q 'stays off and its sockets are closed.*start gamesched-core again' /tmp/core.log
sleep 2
check "nothing re-attached after SysRq-S" is_disabled
dump_core_log | grep -E 'stopped|SysRq|detached'

info "2. error ejection (test hook)"
start_core_as_shipped --test-error-after-ms 1500
check "core attached" wait_for 20 is_enabled_with gamesched
check "the core gives up after bounded retries and exits 1" wait_for 120 sh -c "! kill -0 $CORE_PID 2>/dev/null"
wait $CORE_PID; rc=$?
check "exit status 1 (rc=$rc)" [ $rc = 1 ]
attempts=$(grep -c 're-attach attempt' /tmp/core.log)
info "re-attach attempts: $attempts"
check "exactly 4 re-attach attempts" [ "$attempts" = 4 ]
check "each ejection logged the BPF error" sh -c "[ \$(grep -c 'error raised by the BPF scheduler' /tmp/core.log) = 5 ]"
check "the kernel's message reached the log" grep -q 'test hook: error ejection requested' /tmp/core.log
check "left on the fair class" is_disabled
dump_core_log | grep -E 'stopped|attempt|ejected|attached' | head -12

info "3. CPU hotplug restart request"
start_core_as_shipped
check "core attached" wait_for 20 is_enabled_with gamesched
seq_before=$(cat $SCX/hotplug_seq)
echo 0 > /sys/devices/system/cpu/cpu1/online
check "cpu1 went offline" [ "$(cat /sys/devices/system/cpu/cpu1/online)" = 0 ]
check "re-attached after the offline (restart request)" wait_for 20 sh -c "grep -q 'asked for a restart' /tmp/core.log && [ \$(grep -c 'attached and enabled' /tmp/core.log) -ge 2 ]"
check "enabled with our ops again" wait_for 10 is_enabled_with gamesched
echo 1 > /sys/devices/system/cpu/cpu1/online
check "re-attached after the online" wait_for 20 sh -c "[ \$(grep -c 'attached and enabled' /tmp/core.log) -ge 3 ]"
check "enabled with our ops again" wait_for 10 is_enabled_with gamesched
info "hotplug_seq $seq_before -> $(cat $SCX/hotplug_seq)"
check "core still running" kill -0 $CORE_PID
kill -TERM $CORE_PID; wait $CORE_PID
dump_core_log | grep -E 'stopped|restart|attached' | head -12
dmesg | grep -i sched_ext | sed 's/^/GS-KERNEL /'
finish
