#!/bin/bash
# ./run bench: boots the sched_ext VM, runs the guest's bench scenario (tests/vm/scenarios/
# bench.sh) for every arm in rotated order, collects its GS-BENCH records into one JSON result
# file and prints the table of ratios against EEVDF. See docs/benchmarks.md.
set -uo pipefail

usage() {
    cat <<USAGE
usage: ./run bench [OPTIONS] [SCENARIO...]   (run-bench.sh BUILD_DIR [OPTIONS] [SCENARIO...])
  SCENARIO        S0 S1 J1 H0 H1 C1 S2 S3 (default: all; see docs/benchmarks.md)
  --quick         a quick look for iterating on the scheduler: 2 rounds, icount only,
                  scenario S1 unless scenarios are named
  --rounds N      rounds of every arm (default 5)
  --arms LIST     comma-separated, of eevdf,fifo,gs-unknown,gs-game (default all four)
  --no-bpf        no BPF run-time statistics during the scenarios (they cost a little per call)
  --mode M        icount: single-threaded TCG, guest time counted in instructions (repeatable
                  whatever the host does); mttcg: multi-threaded TCG; both (the default): an
                  icount boot with everything and, beside it, an mttcg boot with S1; throughput
                  and BPF come from icount, latency from the mode whose EEVDF repeats best
  --timeout S     seconds a VM boot may take (default 3600: an icount guest second costs
                  1.5-15 s of real time, depending on the host's load)
  --out DIR       where records, console logs and results go (default BUILD_DIR/bench)
Environment knobs (gs_bench_* kernel arguments, see docs/benchmarks.md): GS_BENCH_S0_S,
GS_BENCH_S1_S, GS_BENCH_HEAVY_S, GS_BENCH_CURSOR_S, GS_BENCH_FAIR_S, GS_BENCH_WARMUP_S, GS_BENCH_PERIOD_US,
GS_BENCH_LOAD_SCALE, GS_BENCH_HOGS, GS_BENCH_FORKEXEC (1|0), GS_BENCH_MSG_LOOPS, GS_BENCH_INPUT_HZ,
GS_BENCH_INPUT (device|pipe).
USAGE
}

build=${1:-}
[[ $build == -h || $build == --help ]] && { usage; exit 0; }
[[ -n $build && $build != -* ]] || { usage >&2; exit 2; }
shift
command_line="$*"
build=$(cd "$build" && pwd) || exit 2
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$build/tools/bench/gamesched-bench
[[ -x $bench ]] || { echo "run-bench: $bench is missing; build first (./run bench builds it)" >&2; exit 1; }

rounds=5 arms="" bpf=1 timeout=3600 scenarios=() quick=0 mode=both outdir=$build/bench
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) quick=1 ;;
        --rounds) rounds=${2:?--rounds needs a number}; shift ;;
        --arms) arms=${2:?--arms needs a list}; shift ;;
        --no-bpf) bpf=0 ;;
        --mode) mode=${2:?--mode needs icount, mttcg or both}; shift ;;
        --timeout) timeout=${2:?--timeout needs seconds}; shift ;;
        --out) outdir=${2:?--out needs a directory}; shift ;;
        -h|--help) usage; exit 0 ;;
        S[0-3]|J1|H[01]|C1) scenarios+=("$1") ;;
        *) echo "run-bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ $mode =~ ^(icount|mttcg|both)$ ]] || { echo "run-bench: --mode wants icount, mttcg or both, got '$mode'" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "run-bench: --rounds wants a positive number, got '$rounds'" >&2; exit 2; }
if [[ -n $arms ]]; then
    for a in ${arms//,/ }; do
        [[ $a =~ ^(eevdf|fifo|gs-unknown|gs-game)$ ]] ||
            { echo "run-bench: unknown arm '$a' (eevdf, fifo, gs-unknown, gs-game)" >&2; exit 2; }
    done
fi
if [[ $quick == 1 ]]; then
    [[ $rounds == 5 ]] && rounds=2
    [[ $mode == both ]] && mode=icount
    [[ ${#scenarios[@]} == 0 ]] && scenarios=(S1)
fi

start=$EPOCHREALTIME
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$outdir" || exit 2
records=$outdir/records-$stamp.jsonl
results=$outdir/results-$stamp.json

# Scenario parameters travel as kernel arguments and arrive in the guest as variables.
params=(gs_bench_rounds="$rounds" gs_bench_bpf="$bpf")
[[ -n $arms ]] && params+=(gs_bench_arms="$arms")
for knob in S0_S S1_S HEAVY_S CURSOR_S FAIR_S WARMUP_S PERIOD_US LOAD_SCALE HOGS FORKEXEC MSG_LOOPS INPUT_HZ INPUT; do
    var=GS_BENCH_$knob
    [[ -n ${!var:-} ]] && params+=("gs_bench_${knob,,}=${!var}")
done
kernel_dir=$("$root/tests/vm/fetch-kernel.sh" 2>/dev/null)
hz=$(sed -n 's/^CONFIG_HZ=//p' "$kernel_dir/config" 2>/dev/null)
qemu_version=$(qemu-system-x86_64 --version | head -1)
cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
commit=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)
# The bench measures the build as shipped: the record says whether test hooks were compiled in.
test_hooks=$(meson introspect "$build" --buildoptions 2>/dev/null |
    python3 -c 'import json, sys; print(next((str(o["value"]).lower() for o in json.load(sys.stdin) if o["name"] == "test_hooks"), "unknown"))' 2>/dev/null)

# boot MODE SCENARIOS: one VM boot; its records (each tagged with the mode, plus the host's
# facts) go to $outdir/records-$stamp-MODE.jsonl. Returns the VM's exit status.
boot() {
    local mode=$1 list=$2 icount=0 t0=$EPOCHREALTIME
    local log=$outdir/console-$stamp-$mode.log
    [[ $mode == icount ]] && icount=1
    local extra=()
    [[ -n $list ]] && extra=(gs_bench_scenarios="$list")
    GS_VM_ICOUNT=$icount GS_VM_TIMEOUT=$timeout "$root/tests/vm/run-scenario.sh" "$build" bench \
        "${params[@]}" "${extra[@]}" > "$log" 2>&1
    local rc=$?
    local took
    took=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $t0" | bc)")
    {
        sed -n "s/^GS-BENCH {/{\"mode\":\"$mode\",/p" "$log" | tr -d '\r'
        printf '{"mode":"%s","round":0,"position":0,"scheduler":"none","scenario":"host","result":{"date":"%s","commit":"%s","command":"%s","host_kernel":"%s","host_cpus":%s,"host_cpu":"%s","qemu":"%s","qemu_mode":"%s, -smp %s, -cpu max","guest_hz":"%s","host_load_avg_at_end":"%s","test_hooks":"%s","vm_exit":%s,"vm_run_s":%s}}\n' \
            "$mode" "$stamp" "$commit" "$command_line" "$(uname -r)" "$(nproc)" "$cpu_model" "$qemu_version" \
            "$mode" "${GS_VM_CPUS:-2}" "$hz" "$(cut -d' ' -f1-3 /proc/loadavg)" "${test_hooks:-unknown}" "$rc" "$took"
    } > "$outdir/records-$stamp-$mode.jsonl"
    echo "run-bench: $mode boot exit $rc after ${took}s; console log $log"
    grep -E '^(GS-CHECK FAIL|FAIL)' "$log"
    return $rc
}

scenario_list=$(IFS=,; echo "${scenarios[*]}")
echo "run-bench: $rounds rounds, mode $mode; records and logs under $outdir (stamp $stamp)"
vm_rc=0
case $mode in
    both)
        # The icount boot is repeatable whatever else runs on the host, so the multi-threaded
        # boot (S1 only: the spread of EEVDF's latency there against icount's) runs beside it.
        boot mttcg S1 &
        mttcg_pid=$!
        boot icount "$scenario_list" || vm_rc=1
        wait $mttcg_pid || vm_rc=1
        ;;
    *) boot "$mode" "$scenario_list" || vm_rc=1 ;;
esac
cat "$outdir"/records-"$stamp"-*.jsonl > "$records"

echo
"$bench" report --in "$records" --out "$results"
report_rc=$?
elapsed=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $start" | bc)")
echo "run-bench: VM runs exit $vm_rc, report exit $report_rc, ${elapsed}s in total"
[[ $vm_rc == 0 && $report_rc == 0 ]]
