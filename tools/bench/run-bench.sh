#!/bin/bash
# ./run bench: boots the sched_ext VM once, runs the guest's bench scenario (S0-S3 for EEVDF, the
# FIFO baseline and gamesched in rotated order, then a BPF-statistics block), collects its
# GS-BENCH records into one JSON result file and prints the table of ratios against EEVDF.
# Usage: run-bench.sh BUILD_DIR
# Environment (all optional): GS_BENCH_ROUNDS (3), GS_BENCH_S1_S (7), GS_BENCH_PERIOD_US,
# GS_BENCH_MSG_LOOPS, GS_BENCH_TIMEOUT (seconds for the whole VM run, 900).
set -uo pipefail
build=${1:?usage: run-bench.sh BUILD_DIR}
build=$(cd "$build" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$build/tools/bench/gamesched-bench
[[ -x $bench ]] || { echo "run-bench: $bench is missing; build first (./run build)" >&2; exit 1; }

start=$EPOCHREALTIME
stamp=$(date -u +%Y%m%dT%H%M%SZ)
outdir=$build/bench
mkdir -p "$outdir"
log=$outdir/console-$stamp.log
records=$outdir/records-$stamp.jsonl
results=$outdir/results-$stamp.json

# Scenario parameters travel as kernel arguments and arrive in the guest as variables.
params=(gs_bench_rounds="${GS_BENCH_ROUNDS:-3}" gs_bench_s1_s="${GS_BENCH_S1_S:-7}")
[[ -n ${GS_BENCH_PERIOD_US:-} ]] && params+=(gs_bench_period_us="$GS_BENCH_PERIOD_US")
[[ -n ${GS_BENCH_MSG_LOOPS:-} ]] && params+=(gs_bench_msg_loops="$GS_BENCH_MSG_LOOPS")
[[ -n ${GS_BENCH_INPUT_HZ:-} ]] && params+=(gs_bench_input_hz="$GS_BENCH_INPUT_HZ")

echo "run-bench: one VM boot, ${GS_BENCH_ROUNDS:-3} rounds; console log $log"
GS_VM_TIMEOUT=${GS_BENCH_TIMEOUT:-900} "$root/tests/vm/run-scenario.sh" "$build" bench "${params[@]}" \
    | tee "$log" | grep --line-buffered -E '^(GS-INFO|GS-CHECK|== |PASS|FAIL)'
vm_rc=${PIPESTATUS[0]}
vm_elapsed=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $start" | bc)")

# The host's own facts go in as one more record, next to the guest's "env" record.
qemu_version=$(qemu-system-x86_64 --version | head -1)
cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
{
    sed -n 's/^GS-BENCH //p' "$log" | tr -d '\r'
    printf '{"round":0,"position":0,"scheduler":"none","scenario":"host","result":{"date":"%s","host_kernel":"%s","host_cpus":%s,"host_cpu":"%s","qemu":"%s","qemu_mode":"TCG (multi-threaded), -smp %s, -cpu max","host_load_avg_at_end":"%s","vm_exit":%s,"vm_run_s":%s}}\n' \
        "$stamp" "$(uname -r)" "$(nproc)" "$cpu_model" "$qemu_version" "${GS_VM_CPUS:-2}" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$vm_rc" "$vm_elapsed"
} > "$records"

echo
"$bench" report --in "$records" --out "$results"
report_rc=$?
elapsed=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $start" | bc)")
echo "run-bench: VM run exit $vm_rc, report exit $report_rc, ${elapsed}s in total"
[[ $vm_rc == 0 && $report_rc == 0 ]]
