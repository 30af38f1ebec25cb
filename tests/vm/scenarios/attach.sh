#!/bin/sh
# The core attaches, the kernel runs a mixed load on it, SIGTERM detaches cleanly.
# gs_attach_without_peek=1 (vm-attach-without-peek): the core's test option schedules as on a
# kernel without scx_bpf_dsq_peek (before 6.19): one shared queue, tasks taken by its iterator.
. /gamesched/lib.sh
without_peek=${gs_attach_without_peek:-0}
show_scx
check "sched_ext starts disabled" is_disabled
t0=$(uptime_ms)
if [ "$without_peek" = 1 ]; then
    start_core_as_shipped --stats 1 --test-without-peek
else
    start_core_as_shipped --stats 1
fi
if wait_for 20 is_enabled_with gamesched; then
    echo "GS-ATTACHED after $(( $(uptime_ms) - t0 )) ms from core start (guest uptime $(uptime_ms) ms)"
    pass "core attached: state=enabled, root/ops=gamesched"
else
    fail "core attached: state=enabled, root/ops=gamesched"
fi
show_scx
check "switch_all is 1 (every task on sched_ext)" [ "$(cat $SCX/switch_all)" = 1 ]
check "this shell runs on the ext class" on_ext_class $$
check "mixed workload (hogs, nice-19 hog, fork/exec, sleeper) completes" mixed_workload 3
# Waits come from the kernel's per-task accounting, read where a turn is charged (account_waits:
# there is no running op); the stats line of each second holds the waits accounted in it.
sleep 1.2
check "waits (runnable -> on a CPU) were accounted" \
    grep -q '"none":{"n":[1-9]' /tmp/core.log
# A CPU-bound task whose slice ends keeps its CPU without a requeue while nothing more urgent
# waits (keep_running in gamesched.bpf.c): one hog per CPU and a nice-19 hog, whose deadline is
# later, always queued. Without the comparison every slice end would hand the CPU to the nice-19
# hog (no refill at all); with it the equal hogs keep their CPUs at most slice ends (about 50 per
# CPU and second with 20-ms slices) and the nice-19 hog still gets its small share.
refills() { gameschedctl status | tr -d ' \n' | grep -o '"slice_refill":[0-9]*' | head -1 | cut -d: -f2; }
k0=$(refills)
gamesched-bench fairness --duration 2 --hogs "$(nproc)" > /tmp/fair.out 2>&1
k1=$(refills)
info "slice refills $k0 -> $k1 over 2 s of $(nproc) hogs + a nice-19 hog; $(cat /tmp/fair.out)"
if [ "$without_peek" = 1 ]; then
    # Without the peek a task whose slice ran out goes through the queue: no refills, and the
    # equal hogs share the CPUs through it.
    check "equal hogs shared the CPUs through the queue (Jain >= 0.9)" \
        awk -v j="$(json_number /tmp/fair.out jain_index)" 'BEGIN { exit !(j >= 0.9) }'
else
    check "CPU-bound hogs kept their CPUs at slice ends while a later nice-19 hog waited" \
        [ "$(( ${k1:-0} - ${k0:-0} ))" -ge "$(( $(nproc) * 40 ))" ]
fi
check "the waiting nice-19 hog progressed" \
    awk -v s="$(json_number /tmp/fair.out nice19_cpu_share)" 'BEGIN { exit !(s > 0) }'
show_scx
check "nr_rejected is 0" [ "$(cat $SCX/nr_rejected)" = 0 ]
check "core still running" kill -0 $CORE_PID
kill -TERM $CORE_PID
wait $CORE_PID
rc=$?
check "core exited 0 after SIGTERM (rc=$rc)" [ $rc = 0 ]
check "SIGTERM detached: state=disabled" wait_for 5 is_disabled
show_scx
check "core logged the kernel's exit reason" grep -q 'scheduler detached: unregistered from user space' /tmp/core.log
check "stats lines were printed" grep -q '"counters"' /tmp/core.log
check "the shipped thread-name table was found where the build installs it" \
    grep -q 'thread-name hints: [1-9][0-9]* names from /.*/gamesched/thread-roles.json' /tmp/core.log
dmesg | grep -i sched_ext | sed 's/^/GS-KERNEL /'
check "kernel log shows no sched_ext error" [ -z "$(scx_kernel_errors)" ]
dump_core_log
finish
