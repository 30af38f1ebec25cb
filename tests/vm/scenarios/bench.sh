#!/bin/sh
# ./run bench, guest side: the scenarios of docs/benchmarks.md for each arm (EEVDF, the FIFO
# baseline, gamesched with the game unknown, gamesched with the game registered as deployed), in
# rotated order over several rounds. Every result is one "GS-BENCH {json}" line; the host
# collects them (tools/bench/run-bench.sh). Parameters arrive as kernel arguments (gs_bench_*).
. /gamesched/lib.sh
. /gamesched/bench-lib.sh

rounds=${gs_bench_rounds:-5}
# A run split over several boots (run-bench.sh --boots) numbers its rounds on: this boot runs
# rounds first_round .. first_round + rounds - 1, with the rotation those numbers give.
first_round=${gs_bench_first_round:-1}
arms=$(echo "${gs_bench_arms:-eevdf,fifo,gs-unknown,gs-game}" | tr ',' ' ')
scenarios=" $(echo "${gs_bench_scenarios:-S0,S1,J1,H0,H1,C1,S2,S3}" | tr ',' ' ') "
s0_s=${gs_bench_s0_s:-1.5}
s1_s=${gs_bench_s1_s:-3}
heavy_s=${gs_bench_heavy_s:-2.5}
cursor_s=${gs_bench_cursor_s:-1.5}
warmup_s=${gs_bench_warmup_s:-0.75}
fair_s=${gs_bench_fair_s:-1.5}
msg_loops=${gs_bench_msg_loops:-100}
period_us=${gs_bench_period_us:-8333}
# The light models' work is scaled (the appendix of benchmark-design.md: a light game separates
# schedulers under load, a heavy one saturates every scheduler); the heavy model is not.
load_scale=${gs_bench_load_scale:-1}
input_hz=${gs_bench_input_hz:-500}
ncpu=$(nproc)
# One hog per vCPU (make -jN): under icount EEVDF then misses 0.26-0.36 of S1's frames, inside
# the 0.15-0.6 band the run needs; 2 x vCPU gave 0.51-0.58, 3 and 4 x vCPU 0.79-0.99
# (docs/benchmarks.md, "Calibration").
hogs=${gs_bench_hogs:-$ncpu}
# J1's job-system game is lighter on the CPU at the moment it waits (its workers run in parallel
# with the main thread): under icount EEVDF missed a median 0.022 of its frames with one hog per
# vCPU, 0.045-0.074 with two, 0.16-0.26 with three (5-round medians, near the band's low edge),
# 0.47 with four and 0.27 with three and a half (docs/benchmarks.md, "Calibration").
j1_hogs=${gs_bench_j1_hogs:-$((7 * ncpu / 2))}
background_hogs() { case $1 in J1) echo "$j1_hogs" ;; *) echo "$hogs" ;; esac; }
# 0 leaves the build's fork/exec loop out (a diagnostic: which part of the build a latency tail
# comes from).
forkexec=${gs_bench_forkexec:-1}
out=$W/out.json

wants() { case $scenarios in *" $1 "*) return 0 ;; esac; return 1; }

ops_name() { case $1 in gs-*) echo gamesched ;; fifo) echo gs_fifo ;; esac; }
core_arg() { case $1 in gs-*) echo gamesched ;; fifo) echo baseline-fifo ;; esac; }
kernel_error_count() { scx_kernel_errors | wc -l; }
enable_seq() { cat $SCX/enable_seq 2>/dev/null || echo 0; }

# Attaches the arm's scheduler (nothing for eevdf) and, for gamesched, starts the detector as
# the desktop user; sets ATTACH_MS. False if it did not attach.
attach() {
    ATTACH_MS=0
    [ "$1" = eevdf ] && return 0
    local t0=$(uptime_ms)
    start_core --scheduler "$(core_arg "$1")"
    wait_for 60 is_enabled_with "$(ops_name "$1")" || return 1
    ATTACH_MS=$(( $(uptime_ms) - t0 ))
    case $1 in gs-*) start_detect ;; esac
}

detach() {
    [ "$1" = eevdf ] && return 0
    case $1 in gs-*) stop_detect ;; esac
    kill -TERM $CORE_PID
    wait $CORE_PID
    wait_for 10 is_disabled
}

# Every game gets the same calibrated work and the same input device.
game_args() { # LOAD_SCALE
    local input="--input-hz $input_hz"
    [ -n "$INPUT_NODE" ] && input="--input $INPUT_NODE"
    echo "--period-us $period_us --loops-per-us $LOOPS_PER_US --load-scale $1 $input"
}

# Ejected since `mark_block` (sets EJECTED): no longer ours, re-enabled meanwhile (the core
# re-attaches after some errors), the core gone, or a sched_ext error in the kernel log. An
# ejected block's numbers are not the scheduler's.
mark_block() { SEQ0=$(enable_seq); ERRORS0=$(kernel_error_count); }
check_not_ejected() { # ARM WHAT
    EJECTED=false
    is_enabled_with "$(ops_name "$1")" || EJECTED=true
    [ "$(enable_seq)" = "$SEQ0" ] || EJECTED=true
    kill -0 $CORE_PID 2>/dev/null || EJECTED=true
    [ "$(kernel_error_count)" = "$ERRORS0" ] || EJECTED=true
    check "$1 $2: not ejected" [ $EJECTED = false ]
}

# The scenarios (docs/benchmarks.md). S2 and S3 involve no game, so gs-game (which differs from
# gs-unknown only in the game's registration) skips them.
scenarios_of_block() { # ROUND POS ARM
    local r=$1 p=$2 a=$3
    wants S0 && run_game "$r" "$p" "$a" S0 none "$s0_s" 0.5 --model chain $(game_args "$load_scale")
    wants S1 && run_game "$r" "$p" "$a" S1 build "$s1_s" "$warmup_s" --model chain $(game_args "$load_scale")
    wants J1 && run_game "$r" "$p" "$a" J1 build "$s1_s" "$warmup_s" --model jobs $(game_args "$load_scale")
    wants H0 && run_game "$r" "$p" "$a" H0 none "$heavy_s" 0.5 --model heavy $(game_args 1)
    wants H1 && run_game "$r" "$p" "$a" H1 build "$heavy_s" "$warmup_s" --model heavy $(game_args 1)
    wants C1 && run_game "$r" "$p" "$a" C1 spin "$cursor_s" 0.5 --model cursor $(game_args 1)
    [ "$a" = gs-game ] && return
    # The BPF statistics here measure the programs at equal load: S2 is a fixed amount of work
    # (the same messages in every arm), S3 the same hogs for the same time. In S1 FIFO starves
    # the game, so its share there compares different workloads.
    if wants S2; then
        # Five repeats of the same messages, each a part of the statistics' window (SIGUSR2
        # between them): the report takes the median, so that one program call spanning an
        # emulator turn decides one repeat, not the round.
        start_bpf_stats "$a" --until-signal --duration 600
        $BENCH messaging --groups 2 --fds 8 --loops "$msg_loops" --repeat 5 \
            ${STATS_PID:+--mark-pid $STATS_PID} > $out
        stop_bpf_stats "$r" "$p" "$a" S2
        emit "$r" "$p" "$a" S2 $out
    fi
    if wants S3; then
        start_bpf_stats "$a" --duration "$fair_s" --windows 6
        $BENCH fairness --duration "$fair_s" > $out
        stop_bpf_stats "$r" "$p" "$a" S3
        emit "$r" "$p" "$a" S3 $out
    fi
}

# One block: attach, pacer, the scenarios, pacer, the ejection checks, detach.
block() { # ROUND POS ARM
    local r=$1 p=$2 a=$3 started=$(uptime_ms)
    info "round $r position $p: $a (guest uptime $started ms)"
    if ! attach "$a"; then
        fail "$a round $r: attached"
        dump_core_log
        detach "$a"
        return
    fi
    mark_block
    $BENCH calibrate --trials 1 --pacer-ms 100 > $out; emit "$r" "$p" "$a" pacer-start $out
    scenarios_of_block "$r" "$p" "$a"
    $BENCH calibrate --trials 1 --pacer-ms 100 > $out; emit "$r" "$p" "$a" pacer-end $out
    EJECTED=false
    if [ "$a" != eevdf ]; then
        check_not_ejected "$a" "round $r block"
        detach "$a"
        check "$a round $r: detached" is_disabled
    fi
    # Guest uptime at the block's start and end: where a run's time goes.
    echo "{\"attach_ms\":$ATTACH_MS,\"ejected\":$EJECTED,\"guest_start_ms\":$started,\"guest_end_ms\":$(uptime_ms)}" > $out
    emit "$r" "$p" "$a" block $out
}

bench_setup_launchers
show_scx
check "sched_ext starts disabled" is_disabled
INPUT_NODE="" INPUT_DEVICE_PID=""
if [ "${gs_bench_input:-device}" = device ]; then
    check "a uinput mouse for the games' input" start_input_device "$input_hz"
fi
clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
preempt=$(cat /sys/kernel/debug/sched/preempt 2>/dev/null | tr -d '\n')
echo "GS-BENCH {\"round\":0,\"position\":0,\"scheduler\":\"none\",\"scenario\":\"env\",\"result\":{\"kernel\":\"$(uname -r)\",\"cpus\":$ncpu,\"clocksource\":\"$clocksource\",\"preempt\":\"$preempt\",\"hogs\":$hogs,\"j1_hogs\":$j1_hogs,\"forkexec\":$forkexec,\"period_us\":$period_us,\"load_scale\":$load_scale,\"input\":\"${INPUT_NODE:-pipe}\",\"input_hz\":$input_hz,\"rounds\":$rounds,\"first_round\":$first_round,\"arms\":\"$arms\",\"scenarios\":\"$(echo $scenarios)\",\"s1_s\":$s1_s,\"warmup_s\":$warmup_s}}"
# Not a check: under multi-threaded TCG on a loaded host the guest may never look 97 % idle (its
# clock is the host's); the record says so, and the calibration is then to be read with care.
t0=$(uptime_ms)
quiet=false
wait_until_quiet 60 && quiet=true
info "idle wait before calibrating: quiet $quiet after $(( $(uptime_ms) - t0 )) ms"
echo "{\"quiet\":$quiet,\"waited_ms\":$(( $(uptime_ms) - t0 ))}" > $out
emit 0 0 eevdf idle-wait $out
$BENCH calibrate > $out
LOOPS_PER_US=$(json_number $out loops_per_us)
emit 0 0 eevdf calibrate $out
check "calibrated loops per microsecond ($LOOPS_PER_US)" [ -n "$LOOPS_PER_US" ]

# Rotation: round r starts at arm (r-1) mod n, so every arm takes every position.
n=$(echo $arms | wc -w)
r=$first_round
while [ $r -lt $((first_round + rounds)) ]; do
    shift_by=$(( (r - 1) % n ))
    order=$(echo $arms $arms | tr ' ' '\n' | tail -n +$((shift_by + 1)) | head -n $n)
    p=1
    for a in $order; do
        block $r $p $a
        p=$((p + 1))
    done
    r=$((r + 1))
done
[ -n "$INPUT_DEVICE_PID" ] && kill $INPUT_DEVICE_PID
dmesg | grep -i sched_ext | sed 's/^/GS-KERNEL /'
finish
