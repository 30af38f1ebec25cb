#!/bin/bash
# ./run bench: boots the sched_ext VM, runs the guest's bench scenario (tests/vm/scenarios/
# bench.sh) for every arm in rotated order, collects its GS-BENCH records into one JSON result
# file and prints the table of ratios against EEVDF. See docs/benchmarks.md.
set -uo pipefail

usage() {
    cat <<USAGE
usage: ./run bench [OPTIONS] [SCENARIO...]   (run-bench.sh BUILD_DIR [OPTIONS] [SCENARIO...])
  SCENARIO        S0 S1 J1 H0 H1 C1 S2 S3 (default: all; see docs/benchmarks.md)
  --quick         a quick look for iterating on the scheduler: 2 rounds in one icount boot,
                  scenario S1 unless scenarios are named
  --rounds N      rounds of every arm (default 5)
  --boots N       icount boots the run is split over, run side by side (default 2; 1 with
                  --quick): each boot runs every round of a share of the scenarios, or (when
                  that balances worse, e.g. one scenario) every scenario of a share of the
                  rounds, numbered and rotated as in one boot; either way all four arms of a
                  round of a scenario run in one boot, so the ratios stay paired. An icount
                  guest's numbers do not depend on the host, so two boots on two host cores
                  halve the wall time without changing them
  --first-round K number the rounds from K (default 1; the rotation follows the number)
  --arms LIST     comma-separated, of eevdf,fifo,gs-unknown,gs-game (default all four)
  --no-bpf        no BPF run-time statistics during the scenarios (they cost a little per call)
  --mode M        icount (the default): single-threaded TCG, guest time counted in
                  instructions (repeatable whatever the host does); mttcg: multi-threaded TCG;
                  both: the icount boots with everything and, beside them, an mttcg boot with
                  S1; throughput and BPF come from icount, latency from the mode whose EEVDF
                  repeats best
  --timeout S     seconds a VM boot may take (default 3600: an icount guest second costs
                  1.5-15 s of real time, depending on the host's load)
  --out DIR       where records, console logs and results go (default BUILD_DIR/bench)
Environment knobs (gs_bench_* kernel arguments, see docs/benchmarks.md): GS_BENCH_S0_S,
GS_BENCH_S1_S, GS_BENCH_HEAVY_S, GS_BENCH_CURSOR_S, GS_BENCH_FAIR_S, GS_BENCH_WARMUP_S, GS_BENCH_PERIOD_US,
GS_BENCH_LOAD_SCALE, GS_BENCH_HOGS, GS_BENCH_J1_HOGS, GS_BENCH_FORKEXEC (1|0), GS_BENCH_MSG_LOOPS, GS_BENCH_INPUT_HZ,
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

rounds=5 arms="" bpf=1 timeout=3600 scenarios=() quick=0 mode=icount outdir=$build/bench boots="" first_round=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) quick=1 ;;
        --rounds) rounds=${2:?--rounds needs a number}; shift ;;
        --boots) boots=${2:?--boots needs a number}; shift ;;
        --first-round) first_round=${2:?--first-round needs a number}; shift ;;
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
[[ $first_round =~ ^[1-9][0-9]*$ ]] || { echo "run-bench: --first-round wants a positive number, got '$first_round'" >&2; exit 2; }
[[ -z $boots || $boots =~ ^[1-9][0-9]*$ ]] || { echo "run-bench: --boots wants a positive number, got '$boots'" >&2; exit 2; }
if [[ -n $arms ]]; then
    for a in ${arms//,/ }; do
        [[ $a =~ ^(eevdf|fifo|gs-unknown|gs-game)$ ]] ||
            { echo "run-bench: unknown arm '$a' (eevdf, fifo, gs-unknown, gs-game)" >&2; exit 2; }
    done
fi
if [[ $quick == 1 ]]; then
    [[ $rounds == 5 ]] && rounds=2
    [[ -z $boots ]] && boots=1
    [[ ${#scenarios[@]} == 0 ]] && scenarios=(S1)
fi
boots=${boots:-2}
[[ $mode == mttcg ]] && boots=1

start=$EPOCHREALTIME
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$outdir" || exit 2
records=$outdir/records-$stamp.jsonl
results=$outdir/results-$stamp.json

# Scenario parameters travel as kernel arguments and arrive in the guest as variables.
params=(gs_bench_bpf="$bpf")
[[ -n $arms ]] && params+=(gs_bench_arms="$arms")
for knob in S0_S S1_S HEAVY_S CURSOR_S FAIR_S WARMUP_S PERIOD_US LOAD_SCALE HOGS J1_HOGS FORKEXEC MSG_LOOPS INPUT_HZ INPUT; do
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

# Copies the console to stdout; before every GS-INFO line (the guest's block and scenario
# stamps) a "GS-HOST-TIME S" line with the seconds since the boot started: where the wall time
# of a run goes.
stamp_host_time() { # T0
    local line
    while IFS= read -r line || [[ -n $line ]]; do
        [[ $line == GS-INFO* ]] && printf 'GS-HOST-TIME %.1f\n' "$(echo "$EPOCHREALTIME - $1" | bc)"
        printf '%s\n' "$line"
    done
}

# boot MODE TAG SCENARIOS FIRST_ROUND ROUNDS: one VM boot; its records (each tagged with the
# mode and the boot, plus the host's facts) go to $outdir/records-$stamp-TAG.jsonl. Returns the
# VM's exit status.
boot() {
    local mode=$1 tag=$2 list=$3 first=$4 count=$5 icount=0 t0=$EPOCHREALTIME
    local log=$outdir/console-$stamp-$tag.log
    [[ $mode == icount ]] && icount=1
    local extra=(gs_bench_first_round="$first" gs_bench_rounds="$count")
    [[ -n $list ]] && extra+=(gs_bench_scenarios="$list")
    GS_VM_ICOUNT=$icount GS_VM_TIMEOUT=$timeout "$root/tests/vm/run-scenario.sh" "$build" bench \
        "${params[@]}" "${extra[@]}" 2>&1 | stamp_host_time "$t0" > "$log"
    local rc=${PIPESTATUS[0]}
    local took
    took=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $t0" | bc)")
    {
        sed -n "s/^GS-BENCH {/{\"mode\":\"$mode\",\"boot\":\"$tag\",/p" "$log" | tr -d '\r'
        printf '{"mode":"%s","boot":"%s","round":0,"position":0,"scheduler":"none","scenario":"host","result":{"date":"%s","commit":"%s","command":"%s","host_kernel":"%s","host_cpus":%s,"host_cpu":"%s","qemu":"%s","qemu_mode":"%s, -smp %s, -cpu max","guest_hz":"%s","rounds":"%s-%s","scenarios":"%s","host_load_avg_at_end":"%s","test_hooks":"%s","vm_exit":%s,"vm_run_s":%s}}\n' \
            "$mode" "$tag" "$stamp" "$commit" "$command_line" "$(uname -r)" "$(nproc)" "$cpu_model" "$qemu_version" \
            "$mode" "${GS_VM_CPUS:-2}" "$hz" "$first" "$((first + count - 1))" "${list:-all}" "$(cut -d' ' -f1-3 /proc/loadavg)" \
            "${test_hooks:-unknown}" "$rc" "$took"
    } > "$outdir/records-$stamp-$tag.jsonl"
    echo "run-bench: $tag boot (rounds $first-$((first + count - 1))) exit $rc after ${took}s; console log $log"
    grep -E '^(GS-CHECK FAIL|FAIL)' "$log"
    return $rc
}

# What each icount boot runs (boot_list, boot_first, boot_rounds, indexed 1..boots). Either
# every round of a share of the scenarios, or every scenario of a share of the rounds, whichever
# leaves the longest boot shorter; either way every round of a scenario has its four arms in one
# boot, so its ratios stay paired. Scenario weights: wall seconds of one round of all four arms
# (icount, the mean of the full runs of 2026-12-02 16:31 and 16:43, nothing else on the host,
# read from the consoles' GS-HOST-TIME lines; docs/benchmarks.md "Run time").
split_boots() {
    local -A weight=([S0]=23 [S1]=60 [J1]=45 [H0]=10 [H1]=41 [C1]=10 [S2]=11 [S3]=4)
    local names=("${scenarios[@]}") total=0 b sc
    [[ ${#names[@]} == 0 ]] && names=(S0 S1 J1 H0 H1 C1 S2 S3)
    local -a load=() list=()
    for ((b = 1; b <= boots; b++)); do load[b]=0 list[b]=""; done
    # Longest first, each to the least loaded boot.
    for sc in $(for sc in "${names[@]}"; do echo "${weight[$sc]} $sc"; done | sort -rn | awk '{print $2}'); do
        local least=1
        for ((b = 2; b <= boots; b++)); do (( load[b] < load[least] )) && least=$b; done
        load[least]=$((load[least] + weight[$sc]))
        list[least]=${list[least]:+${list[least]},}$sc
        total=$((total + weight[$sc]))
    done
    local longest=0 empty=0
    for ((b = 1; b <= boots; b++)); do
        (( load[b] > longest )) && longest=${load[b]}
        [[ -z ${list[b]} ]] && empty=1
    done
    local per_boot=$(( (rounds + boots - 1) / boots ))
    boot_list=() boot_first=() boot_rounds=()
    if (( boots > 1 && !empty && longest * rounds < per_boot * total )); then
        for ((b = 1; b <= boots; b++)); do
            boot_list[b]=${list[b]} boot_first[b]=$first_round boot_rounds[b]=$rounds
        done
        return
    fi
    # Whole rounds per boot, the first boots taking one more when they do not divide evenly.
    (( boots > rounds )) && boots=$rounds
    local next=$first_round
    for ((b = 1; b <= boots; b++)); do
        boot_list[b]=$scenario_list boot_first[b]=$next
        boot_rounds[b]=$(( rounds / boots + (b <= rounds % boots ? 1 : 0) ))
        next=$((next + boot_rounds[b]))
    done
}

scenario_list=$(IFS=,; echo "${scenarios[*]}")
last_round=$((first_round + rounds - 1))
boots_text="$boots icount boot(s) side by side"
[[ $mode == mttcg ]] && boots_text="one mttcg boot"
[[ $mode == both ]] && boots_text="$boots_text, an mttcg boot (S1) beside them"
echo "run-bench: rounds $first_round-$last_round, $boots_text; records and logs under $outdir (stamp $stamp)"
vm_rc=0
pids=()
# The multi-threaded boot (--mode both; S1 only: the spread of EEVDF's latency there against
# icount's) runs beside the icount boots, which are repeatable whatever else runs on the host.
if [[ $mode == both || $mode == mttcg ]]; then
    list=S1
    [[ $mode == mttcg ]] && list=$scenario_list
    boot mttcg mttcg "$list" "$first_round" "$rounds" &
    pids+=($!)
fi
if [[ $mode != mttcg ]]; then
    split_boots
    for ((b = 1; b <= boots; b++)); do
        tag=icount
        (( boots > 1 )) && tag=icount-$b
        boot icount "$tag" "${boot_list[b]}" "${boot_first[b]}" "${boot_rounds[b]}" &
        pids+=($!)
    done
fi
for pid in "${pids[@]}"; do wait "$pid" || vm_rc=1; done
cat "$outdir"/records-"$stamp"-*.jsonl > "$records"

echo
"$bench" report --in "$records" --out "$results"
report_rc=$?
elapsed=$(printf '%.0f' "$(echo "$EPOCHREALTIME - $start" | bc)")
echo "run-bench: VM runs exit $vm_rc, report exit $report_rc, ${elapsed}s in total"
[[ $vm_rc == 0 && $report_rc == 0 ]]
