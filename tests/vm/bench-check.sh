#!/bin/bash
# vm-bench: a bounded ./run bench inside the test suite. It proves that the harness works end to
# end — every arm attaches and detaches, the games and backgrounds report, gamesched-detect
# registers the Steam-launched game and the focus hint lands (gs-game), nothing registers the
# plainly started one (gs-unknown), the core's game_enqueue/boosted counters move, and the host
# report reads it all. No timing is asserted: the numbers belong to ./run bench.
# Usage: bench-check.sh BUILD_DIR
set -uo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One round of S1 (the chain model) and J1 (the jobs model, audio in its own process), short,
# and of S2 and S3, whose BPF statistics come in parts (the messaging's repeats, the fairness
# window's sixths).
GS_BENCH_S1_S=1.5 GS_BENCH_WARMUP_S=0.5 GS_BENCH_HOGS=4 GS_BENCH_FAIR_S=0.6 \
    "$here/../../tools/bench/run-bench.sh" "$build" --rounds 1 --mode mttcg --out "$out" \
    --timeout "${GS_VM_TIMEOUT:-900}" S1 J1 S2 S3 | tee "$out/run.txt"
log=$(ls "$out"/console-*-mttcg.log 2>/dev/null)
results=$(ls "$out"/results-*.json 2>/dev/null)
[[ -n $log ]] && sed -n '/^== scenario/,$p' "$log"

fails=0
expect() { # WHAT COMMAND...
    if "${@:2}"; then echo "PASS: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
expect "the guest ran every block and all its checks passed (registration included)" \
    grep -q "^PASS: scenario 'bench'" "$log"
expect "the report wrote its results" test -s "$results"
if [[ -s $results ]]; then
    python3 - "$results" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
recs = r["records"]
ok = True
def need(what, cond):
    global ok
    print(("PASS: " if cond else "FAIL: ") + what)
    ok = ok and cond
for arm in ("eevdf", "fifo", "gs-unknown", "gs-game"):
    for sc in ("S1", "J1"):
        frames = [x for x in recs if x["scheduler"] == arm and x["scenario"] == sc]
        need(f"{arm} {sc}: a game record with frames",
             len(frames) == 1 and (frames[0]["result"].get("frames") or 0) > 0)
        need(f"{arm} {sc}: the frames' latency (p50 <= p99)",
             len(frames) == 1 and isinstance(frames[0]["result"].get("frame_latency_p99_ms"), (int, float))
             and 0 < frames[0]["result"]["frame_latency_p50_ms"] <= frames[0]["result"]["frame_latency_p99_ms"])
        need(f"{arm} {sc}: the background's record",
             any(x["scheduler"] == arm and x["scenario"] == sc + "-hog" for x in recs))
for sc in ("S1", "J1"):
    reg = [x["result"] for x in recs if x["scheduler"] == "gs-game" and x["scenario"] == sc + "-registration"]
    need(f"gs-game {sc}: registered by the detector, focused, game_enqueue and boosted moved",
         len(reg) == 1 and reg[0]["confirmed"] and reg[0]["registered_after_ms"] >= 0
         and reg[0]["focus_hinted"] and reg[0]["game_enqueue"] > 0 and reg[0]["boosted"] > 0)
    unk = [x["result"] for x in recs if x["scheduler"] == "gs-unknown" and x["scenario"] == sc + "-registration"]
    need(f"gs-unknown {sc}: never registered",
         len(unk) == 1 and unk[0]["confirmed"] and unk[0]["registered_after_ms"] < 0 and unk[0]["game_enqueue"] == 0)
    need(f"gs-game {sc}: BPF run-time statistics", any(
        x["scheduler"] == "gs-game" and x["scenario"] == sc + "-bpf" for x in recs))
def result(arm, sc):
    found = [x["result"] for x in recs if x["scheduler"] == arm and x["scenario"] == sc]
    return found[0] if len(found) == 1 and isinstance(found[0], dict) else {}
for arm in ("eevdf", "fifo", "gs-unknown"):
    need(f"{arm} S2: five repeats of the messages, none failed",
         result(arm, "S2").get("repeats") == 5 and result(arm, "S2").get("failed") is False)
    need(f"{arm} S3: the fairness record", bool(result(arm, "S3").get("threads")))
for arm in ("fifo", "gs-unknown"):
    need(f"{arm} S2: one part of the BPF window per repeat (SIGUSR2 from the messaging)",
         len(result(arm, "S2-bpf").get("windows", [])) == 5)
    need(f"{arm} S3: the BPF window in six parts",
         len(result(arm, "S3-bpf").get("windows", [])) == 6
         and isinstance(result(arm, "S3-bpf").get("bpf_cpu_share_window_median"), (int, float)))
need("the report compares the BPF share at equal load (S2, S3)",
     {"S2", "S3"} <= set(r["bpf"]["share_at_equal_load"].keys()))
v = r["validity"]
need("the report's registration check: confirmed in every game run", v["unconfirmed_registrations"] == [])
need("no sched_ext block was ejected", v["ejected_blocks"] == [])
need("the report has its ratio table and CPU budget", bool(r["table"]) and bool(r["cpu_budget"]))
sys.exit(0 if ok else 1)
PY
    [[ $? == 0 ]] || fails=$((fails + 1))
fi
[[ $fails == 0 ]] && echo "PASS: vm-bench" || { echo "FAIL: vm-bench ($fails)"; exit 1; }
