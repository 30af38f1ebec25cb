#!/bin/sh
# ./run trace-input (a diagnostic, not in ./run test): where the S1 game's input handler waits.
# The game runs under S1's build background with a uinput mouse, per arm (gs_trace_arms: eevdf,
# gs-unknown, gs-game; the registered game is registered and focused through gameschedctl), while
# the kernel's own tracing (hist triggers) measures the handler's waking -> wakeup (activation on
# its runqueue) and wakeup -> running, and names the task that ran before it when the wait took
# 100 us or more. The game's input start latency (event timestamp -> handler running) is printed
# beside. The triggers themselves cost: latencies under tracing are higher than the bench's.
# Also, per arm: the traced thread's waits by CPU pair (the CPU its wakeup ran on -> the CPU it
# ran on), and every rescheduling IPI's delay from its sending (ipi_send_cpu) to its handler on
# the target CPU (reschedule_entry): whether a kick of the other CPU takes effect late.
. /gamesched/lib.sh
. /gamesched/bench-lib.sh
ncpu=$(nproc)
hogs=$ncpu
forkexec=${gs_bench_forkexec:-1}
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
mkdir -p $W
bench_setup_launchers
check "a uinput mouse for the game" start_input_device 500
wait_until_quiet 60
$BENCH calibrate > $W/cal.json; LOOPS_PER_US=$(json_number $W/cal.json loops_per_us)
info "loops/us $LOOPS_PER_US"

# The game thread traced (gs_trace_thread; --descriptive-names: input, sim, render, submit,
# audio, worker-0, ...), and the triggers, in the order they are set (and removed in reverse).
thread=${gs_trace_thread:-input}
waking='hist:keys=pid:ts0=common_timestamp.usecs if comm=="'"$thread"'"'
wakeup='hist:keys=pid:ts1=common_timestamp.usecs,wcpu=common_cpu,wlat=common_timestamp.usecs-$ts0:onmatch(sched.sched_waking).trace(actlat,$wlat,target_cpu) if comm=="'"$thread"'"'
switch='hist:keys=next_pid:lat=common_timestamp.usecs-$ts1,rcpu=common_cpu:onmatch(sched.sched_wakeup).trace(inlat,$lat,prev_comm,$wcpu,$rcpu) if next_comm=="'"$thread"'"'
by_lat='hist:keys=lat.log2:sort=lat'
by_prev='hist:keys=prev:sort=hitcount.descending if lat >= 100'
by_cpus='hist:keys=wcpu,rcpu,lat.log2:sort=wcpu,rcpu'
ipi_send='hist:keys=cpu:tsi=common_timestamp.usecs'
ipi_recv='hist:keys=common_cpu:ilat=common_timestamp.usecs-$tsi:onmatch(ipi.ipi_send_cpu).trace(ipilat,$ilat)'
trace_on() {
    echo 'inlat u64 lat; char prev[16]; unsigned int wcpu; unsigned int rcpu' > $T/synthetic_events
    echo 'actlat u64 lat; int target' >> $T/synthetic_events
    echo 'ipilat u64 lat' >> $T/synthetic_events
    echo "$waking" > $T/events/sched/sched_waking/trigger
    echo "$wakeup" > $T/events/sched/sched_wakeup/trigger
    echo "$switch" > $T/events/sched/sched_switch/trigger
    echo "$ipi_send" > $T/events/ipi/ipi_send_cpu/trigger
    echo "$ipi_recv" > $T/events/irq_vectors/reschedule_entry/trigger
    echo "$by_lat" > $T/events/synthetic/inlat/trigger
    echo "$by_prev" >> $T/events/synthetic/inlat/trigger
    echo "$by_cpus" >> $T/events/synthetic/inlat/trigger
    echo "$by_lat" > $T/events/synthetic/actlat/trigger
    echo "$by_lat" > $T/events/synthetic/ipilat/trigger
}
trace_off() {
    # tracefs files report size 0 (test -s is always false): read the log.
    check "$arm: the trace triggers were accepted" [ -z "$(cat $T/error_log)" ]
    sed "s/^/GS-TRACE error /" $T/error_log
    check "$arm: the handler's wakeups were traced" grep -q 'Hits: [1-9]' $T/events/synthetic/inlat/hist
    echo "GS-TRACE --- waking -> wakeup (the handler activated on its runqueue), us"
    sed 's/^/GS-TRACE /' $T/events/synthetic/actlat/hist
    echo "GS-TRACE --- wakeup -> running, us; and what ran before when >= 100 us"
    sed 's/^/GS-TRACE /' $T/events/synthetic/inlat/hist
    echo "GS-TRACE --- rescheduling IPI: sent -> its handler entered on the target CPU, us"
    sed 's/^/GS-TRACE /' $T/events/synthetic/ipilat/hist
    echo "!$by_lat" >> $T/events/synthetic/ipilat/trigger
    echo "!$by_lat" >> $T/events/synthetic/actlat/trigger
    echo "!$by_cpus" >> $T/events/synthetic/inlat/trigger
    echo "!$by_prev" >> $T/events/synthetic/inlat/trigger
    echo "!$by_lat" >> $T/events/synthetic/inlat/trigger
    echo "!$ipi_recv" >> $T/events/irq_vectors/reschedule_entry/trigger
    echo "!$ipi_send" >> $T/events/ipi/ipi_send_cpu/trigger
    echo "!$switch" >> $T/events/sched/sched_switch/trigger
    echo "!$wakeup" >> $T/events/sched/sched_wakeup/trigger
    echo "!$waking" >> $T/events/sched/sched_waking/trigger
    echo > $T/synthetic_events
    echo > $T/error_log
}
echo "GS-TRACE preemption model: $(cat /sys/kernel/debug/sched/preempt 2>/dev/null || echo unknown)"
# gs_trace_raw=1 (a two-CPU guest): also record the traced thread's wakeups, every context
# switch, rescheduling IPI, IRQ work and timer programming in the ring buffer, and print one
# GS-RAW line per wakeup: the CPU its wakeup ran on (W), the CPU it ran on, the wait (us), the
# task it replaced; then, in us after the wakeup ("-": none before it ran): W's first IRQ work (a
# kick is carried out from it), W's timer interrupt exit, the first rescheduling IPI W sent
# (target@sent+until the target's handler entered), each CPU's first context switch (:to whom),
# W's first timer programming (clockevents_program_event, put on the trace clock with
# hrtimer_expire_entry's "now"; :its deadline) and the other CPU's pending deadline.
raw_events="sched/sched_wakeup sched/sched_switch ipi/ipi_send_cpu irq_vectors/reschedule_entry irq_vectors/irq_work_entry irq_vectors/local_timer_exit timer/hrtimer_expire_entry"
raw_on() {
    echo 16384 > $T/buffer_size_kb; echo > $T/trace
    echo "comm==\"$thread\"" > $T/events/sched/sched_wakeup/filter
    echo 'p:gs_lapic clockevents_program_event expires=%si:s64' >> $T/kprobe_events && echo 1 > $T/events/kprobes/gs_lapic/enable
    for e in $raw_events; do echo 1 > $T/events/$e/enable; done
}
raw_off() {
    for e in $raw_events; do echo 0 > $T/events/$e/enable; done
    echo 0 > $T/events/kprobes/gs_lapic/enable 2>/dev/null
    echo 0 > $T/events/sched/sched_wakeup/filter
    grep -c 'LOST' $T/trace | sed 's/^/GS-TRACE raw lost-event marks: /'
    echo "GS-TRACE raw clockevent: $(cat /sys/devices/system/clockevents/clockevent0/current_device)"
    awk -v th="$thread" '
         function ts(l) { match(l, /[0-9]+\.[0-9]+: /); return substr(l, RSTART, RLENGTH - 2) * 1000000 }
         function cpu(l) { match(l, /\[[0-9]+\]/); return substr(l, RSTART + 1, RLENGTH - 2) + 0 }
         function val(l, k) { if (!match(l, k "=[^ ]+")) return "?"; return substr(l, RSTART + length(k) + 1, RLENGTH - length(k) - 1) }
         function us(t) { return int(ts($0) - t) }
         / hrtimer_expire_entry: / { off = ts($0) - val($0, "now") / 1000; next }
         / gs_lapic: / { d = val($0, "expires") / 1000 + off; if (on && cpu($0) == wc && lw == "-") lw = us(w) ":" int(d - w)
             lo[cpu($0)] = d; next }
         / sched_wakeup: / { w = ts($0); wc = cpu($0); iw = "-"; kt = "-"; ka = "-"; rl = "-"; s0 = "-"; s1 = "-"; lw = "-"; tx = "-"; on = 1
             lx = ((1 - wc) in lo) ? int(lo[1 - wc] - w) : "-"; next }
         !on { next }
         / irq_work_entry: / && iw == "-" && cpu($0) == wc { iw = us(w); next }
         / local_timer_exit: / && tx == "-" && cpu($0) == wc { tx = us(w); next }
         / ipi_send_cpu: / && kt == "-" && cpu($0) == wc { kt = val($0, "cpu"); ka = us(w); k = ts($0); next }
         / reschedule_entry: / && kt != "-" && rl == "-" && cpu($0) == kt { rl = us(k); next }
         / sched_switch: / {
             if (cpu($0) == 0 && s0 == "-") s0 = us(w) ":" val($0, "next_comm")
             if (cpu($0) == 1 && s1 == "-") s1 = us(w) ":" val($0, "next_comm")
             if (val($0, "next_comm") == th) {
                 print "GS-RAW", wc, cpu($0), us(w), val($0, "prev_comm"), "iw=" iw, "timer_exit=" tx, "ipi=" kt "@" ka "+" rl, "sw0=" s0, "sw1=" s1, "lapic=" lw, "other_lapic=" lx; on = 0 } }' $T/trace
    echo '-:gs_lapic' >> $T/kprobe_events
    echo > $T/trace
}
echo "GS-TRACE LLC of cpu0: $(cat /sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list 2>/dev/null || echo none)"

for arm in $(echo "${gs_trace_arms:-eevdf,gs-unknown,gs-game}" | tr , " "); do
    [ $arm != eevdf ] && { start_core --scheduler gamesched; wait_for 60 is_enabled_with gamesched; }
    # gs_trace_set: tunables for the gamesched arms (gameschedctl set NAME=VALUE), e.g. slice_min_us=100.
    [ $arm != eevdf ] && [ -n "${gs_trace_set:-}" ] && gameschedctl set $gs_trace_set
    start_game eevdf $W/game.json --duration 3 --warmup 0.75 --descriptive-names --model chain \
        --period-us 8333 --loops-per-us $LOOPS_PER_US --input $INPUT_NODE
    holders=""
    if [ $arm = gs-game ]; then
        gameschedctl game $GAME_PID synthetic --hold > /dev/null 2>&1 & holders="$!"
        gameschedctl focus $GAME_PID --hold > /dev/null 2>&1 & holders="$holders $!"
        check "$arm: registered" wait_for 30 game_in_kernel "$GAME_PID"
        check "$arm: focused" wait_for 30 focus_in_kernel "$GAME_PID"
    fi
    grep -E '^ *(LOC|RES|CAL|IWI):' /proc/interrupts | sed "s/^/GS-TRACE irq before: /"
    [ $arm != eevdf ] && core_counters > $W/counters-before
    trace_on
    [ "${gs_trace_raw:-0}" = 1 ] && raw_on
    start_background build 3.3 "$hogs"
    kill -USR1 $INPUT_DEVICE_PID
    kill -USR1 $GAME_PID
    wait $GAME_LAUNCHER
    kill -USR2 $INPUT_DEVICE_PID
    for pid in $BG_PIDS; do wait $pid; done
    [ -n "$holders" ] && kill $holders 2>/dev/null
    [ "${gs_trace_raw:-0}" = 1 ] && raw_off
    grep -E '^ *(LOC|RES|CAL|IWI):' /proc/interrupts | sed "s/^/GS-TRACE irq after: /"
    if [ $arm != eevdf ]; then
        core_counters > $W/counters-after
        for k in boosted preempt_kick resumed; do
            echo "GS-TRACE counter $k: $(( $(counter $k $W/counters-after) - $(counter $k $W/counters-before) ))"
        done
    fi
    echo "GS-TRACE === $arm: game input start p50 $(json_number $W/game.json input_start_latency_p50_us) p99 $(json_number $W/game.json input_start_latency_p99_us)"
    trace_off
    [ $arm != eevdf ] && { kill -TERM $CORE_PID; wait $CORE_PID; wait_for 10 is_disabled; }
done
finish
