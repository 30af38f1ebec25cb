#!/bin/sh
# ./run trace-input (a diagnostic, not in ./run test): where the S1 game's input handler waits.
# The game runs under S1's build background with a uinput mouse, per arm (gs_trace_arms: eevdf,
# gs-unknown, gs-game; the registered game is registered and focused through gameschedctl), while
# the kernel's own tracing (hist triggers) measures the handler's waking -> wakeup (activation on
# its runqueue) and wakeup -> running, and names the task that ran before it when the wait took
# 100 us or more. The game's input start latency (event timestamp -> handler running) is printed
# beside. The triggers themselves cost: latencies under tracing are higher than the bench's.
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
wakeup='hist:keys=pid:ts1=common_timestamp.usecs,wlat=common_timestamp.usecs-$ts0:onmatch(sched.sched_waking).trace(actlat,$wlat,target_cpu) if comm=="'"$thread"'"'
switch='hist:keys=next_pid:lat=common_timestamp.usecs-$ts1:onmatch(sched.sched_wakeup).trace(inlat,$lat,prev_comm) if next_comm=="'"$thread"'"'
by_lat='hist:keys=lat.log2:sort=lat'
by_prev='hist:keys=prev:sort=hitcount.descending if lat >= 100'
trace_on() {
    echo 'inlat u64 lat; char prev[16]' > $T/synthetic_events
    echo 'actlat u64 lat; int target' >> $T/synthetic_events
    echo "$waking" > $T/events/sched/sched_waking/trigger
    echo "$wakeup" > $T/events/sched/sched_wakeup/trigger
    echo "$switch" > $T/events/sched/sched_switch/trigger
    echo "$by_lat" > $T/events/synthetic/inlat/trigger
    echo "$by_prev" >> $T/events/synthetic/inlat/trigger
    echo "$by_lat" > $T/events/synthetic/actlat/trigger
}
trace_off() {
    check "$arm: the trace triggers were accepted" [ ! -s $T/error_log ]
    sed "s/^/GS-TRACE error /" $T/error_log
    check "$arm: the handler's wakeups were traced" grep -q 'Hits: [1-9]' $T/events/synthetic/inlat/hist
    echo "GS-TRACE --- waking -> wakeup (the handler activated on its runqueue), us"
    sed 's/^/GS-TRACE /' $T/events/synthetic/actlat/hist
    echo "GS-TRACE --- wakeup -> running, us; and what ran before when >= 100 us"
    sed 's/^/GS-TRACE /' $T/events/synthetic/inlat/hist
    echo "!$by_lat" >> $T/events/synthetic/actlat/trigger
    echo "!$by_prev" >> $T/events/synthetic/inlat/trigger
    echo "!$by_lat" >> $T/events/synthetic/inlat/trigger
    echo "!$switch" >> $T/events/sched/sched_switch/trigger
    echo "!$wakeup" >> $T/events/sched/sched_wakeup/trigger
    echo "!$waking" >> $T/events/sched/sched_waking/trigger
    echo > $T/synthetic_events
    echo > $T/error_log
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
    start_background build 3.3
    kill -USR1 $INPUT_DEVICE_PID
    kill -USR1 $GAME_PID
    wait $GAME_LAUNCHER
    kill -USR2 $INPUT_DEVICE_PID
    for pid in $BG_PIDS; do wait $pid; done
    [ -n "$holders" ] && kill $holders 2>/dev/null
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
