#!/bin/sh
# ./run bench, guest side: scenarios S0-S3 of docs/benchmarks.md for EEVDF (no sched_ext
# scheduler), the FIFO baseline and gamesched, in rotated order over several rounds, then a
# separate BPF-statistics block. Every result is one "GS-BENCH {json}" line; the host collects
# them (tools/bench/run-bench.sh). Parameters arrive as kernel arguments (gs_bench_*).
. /gamesched/lib.sh

rounds=${gs_bench_rounds:-3}
s0_s=${gs_bench_s0_s:-2.5}
s1_s=${gs_bench_s1_s:-7}
warmup_s=${gs_bench_warmup_s:-1}
fair_s=${gs_bench_fair_s:-2.5}
msg_loops=${gs_bench_msg_loops:-200}
period_us=${gs_bench_period_us:-16667}
# Emulation makes every wakeup and every loop several times dearer than on hardware; a lighter
# game keeps EEVDF off the 100 % miss ceiling so that schedulers can be told apart.
load_scale=${gs_bench_load_scale:-0.5}
input_hz=${gs_bench_input_hz:-250}
bpf_s=${gs_bench_bpf_s:-3}
ncpu=$(nproc)
hogs=${gs_bench_hogs:-$((2 * ncpu))}
BENCH=gamesched-bench
out=/tmp/bench-out.json

# emit ROUND POSITION SCHEDULER SCENARIO FILE: one result line, the tool's JSON under "result".
emit() {
    if head -c1 "$5" 2>/dev/null | grep -q '{'; then
        echo "GS-BENCH {\"round\":$1,\"position\":$2,\"scheduler\":\"$3\",\"scenario\":\"$4\",\"result\":$(cat "$5")}"
    else
        fail "$3 round $1 $4: the workload printed no result"
    fi
}

json_number() { sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p" "$2"; }
plus() { awk "BEGIN { print $1 + $2 }"; }

ops_name() { case $1 in gamesched) echo gamesched ;; fifo) echo gs_fifo ;; esac; }
core_arg() { case $1 in gamesched) echo gamesched ;; fifo) echo baseline-fifo ;; esac; }
kernel_error_count() { scx_kernel_errors | wc -l; }
enable_seq() { cat $SCX/enable_seq 2>/dev/null || echo 0; }

# Attaches SCHEDULER (nothing for eevdf); sets ATTACH_MS. False if it did not attach.
attach() {
    ATTACH_MS=0
    [ "$1" = eevdf ] && return 0
    local t0=$(uptime_ms)
    start_core --scheduler "$(core_arg "$1")"
    wait_for 60 is_enabled_with "$(ops_name "$1")" || return 1
    ATTACH_MS=$(( $(uptime_ms) - t0 ))
}

detach() {
    [ "$1" = eevdf ] && return 0
    kill -TERM $CORE_PID
    wait $CORE_PID
    wait_for 10 is_disabled
}

game() { # game DURATION WARMUP
    $BENCH game --duration "$1" --warmup "$2" --period-us "$period_us" --loops-per-us "$LOOPS_PER_US" \
        --load-scale "$load_scale" --input-hz "$input_hz" 2>/dev/null
}

# S1: the game under 2 x vCPU hogs and a fork/exec loop (a kernel build, roughly).
s1() { # ROUND POS SCHED
    $BENCH hog --duration "$(plus "$s1_s" 0.3)" --threads "$hogs" > /tmp/hog.json &
    local hog=$!
    $BENCH forkexec --duration "$(plus "$s1_s" 0.3)" > /tmp/fork.json &
    local fork=$!
    game "$s1_s" "$warmup_s" > $out
    wait $hog
    wait $fork
    emit "$1" "$2" "$3" S1 $out
    emit "$1" "$2" "$3" S1-hog /tmp/hog.json
    emit "$1" "$2" "$3" S1-forkexec /tmp/fork.json
}

# Ejected since `mark_block` (sets EJECTED): no longer ours, re-enabled meanwhile (the core
# re-attaches after some errors), the core gone, or a sched_ext error in the kernel log. An
# ejected block's numbers are not the scheduler's.
mark_block() { SEQ0=$(enable_seq); ERRORS0=$(kernel_error_count); }
check_not_ejected() { # SCHED WHAT
    EJECTED=false
    is_enabled_with "$(ops_name "$1")" || EJECTED=true
    [ "$(enable_seq)" = "$SEQ0" ] || EJECTED=true
    kill -0 $CORE_PID 2>/dev/null || EJECTED=true
    [ "$(kernel_error_count)" = "$ERRORS0" ] || EJECTED=true
    check "$1 $2: not ejected" [ $EJECTED = false ]
}

# One block: attach, pacer, S0-S3, the ejection checks, detach.
block() { # ROUND POS SCHED
    local r=$1 p=$2 s=$3
    info "round $r position $p: $s"
    if ! attach "$s"; then
        fail "$s round $r: attached"
        dump_core_log
        detach "$s"
        return
    fi
    mark_block
    $BENCH calibrate --trials 1 --pacer-ms 150 > $out; emit "$r" "$p" "$s" pacer-start $out
    game "$s0_s" 0.5 > $out; emit "$r" "$p" "$s" S0 $out
    s1 "$r" "$p" "$s"
    $BENCH messaging --groups 2 --fds 8 --loops "$msg_loops" > $out; emit "$r" "$p" "$s" S2 $out
    $BENCH fairness --duration "$fair_s" > $out; emit "$r" "$p" "$s" S3 $out
    $BENCH calibrate --trials 1 --pacer-ms 150 > $out; emit "$r" "$p" "$s" pacer-end $out
    EJECTED=false
    if [ "$s" != eevdf ]; then
        check_not_ejected "$s" "round $r block"
        detach "$s"
        check "$s round $r: detached" is_disabled
    fi
    echo "{\"attach_ms\":$ATTACH_MS,\"ejected\":$EJECTED}" > $out
    emit "$r" "$p" "$s" block $out
}

# BPF cost per scheduler op, apart from the scored blocks (statistics cost time per call).
bpf_block() { # SCHED
    attach "$1" || { fail "$1 bpf block: attached"; return; }
    mark_block
    $BENCH hog --duration "$(plus "$bpf_s" 1.5)" --threads "$hogs" > /dev/null &
    local hog=$!
    game "$(plus "$bpf_s" 1.5)" 0.5 > /dev/null &
    local g=$!
    sleep 1
    $BENCH bpfstats --duration "$bpf_s" > $out
    wait $hog
    wait $g
    check_not_ejected "$1" "bpf block"
    sed -i "s/^{/{\"ejected\":$EJECTED,/" $out
    emit 0 0 "$1" bpf $out
    detach "$1"
}

show_scx
check "sched_ext starts disabled" is_disabled
clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
preempt=$(cat /sys/kernel/debug/sched/preempt 2>/dev/null | tr -d '\n')
echo "GS-BENCH {\"round\":0,\"position\":0,\"scheduler\":\"none\",\"scenario\":\"env\",\"result\":{\"kernel\":\"$(uname -r)\",\"cpus\":$ncpu,\"clocksource\":\"$clocksource\",\"preempt\":\"$preempt\",\"hogs\":$hogs,\"period_us\":$period_us,\"load_scale\":$load_scale,\"input_hz\":$input_hz,\"rounds\":$rounds}}"
$BENCH calibrate > $out
LOOPS_PER_US=$(json_number loops_per_us $out)
emit 0 0 eevdf calibrate $out
check "calibrated loops per microsecond ($LOOPS_PER_US)" [ -n "$LOOPS_PER_US" ]

# Latin-square rotation: every scheduler takes every position once per three rounds.
r=1
while [ $r -le $rounds ]; do
    case $(( (r - 1) % 3 )) in
        0) order="eevdf fifo gamesched" ;;
        1) order="fifo gamesched eevdf" ;;
        2) order="gamesched eevdf fifo" ;;
    esac
    p=1
    for s in $order; do
        block $r $p $s
        p=$((p + 1))
    done
    r=$((r + 1))
done
bpf_block fifo
bpf_block gamesched
dmesg | grep -i sched_ext | sed 's/^/GS-KERNEL /'
finish
