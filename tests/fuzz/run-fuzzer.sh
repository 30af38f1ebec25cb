#!/bin/bash
# Runs a fuzzer from its seed corpus, for a bounded time or (long runs) a number of executions,
# and fails on any crash, leak, sanitizer report or broken property. Prints how many inputs ran.
# usage: run-fuzzer.sh FUZZER SEED_WRITER DICT|- SECONDS [RUNS]
#   SEED_WRITER is any command that fills the directory it is given; RUNS (./run fuzz) stops
#   after that many executions instead, with SECONDS as the upper bound.
#   FUZZ_MAX_LEN bounds an input's bytes (default 8192: two of the protocol's 4 KiB records).
set -euo pipefail
fuzzer=$1 seeds=$2 dict=$3 seconds=$4 runs=${5:--1}
dict_arg=()
[[ $dict != - ]] && dict_arg=(-dict="$dict")

work=$(mktemp -d /tmp/gamesched-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
"$seeds" "$work/corpus"

status=0
"$fuzzer" "$work/corpus" "${dict_arg[@]}" -max_total_time="$seconds" -runs="$runs" -max_len="${FUZZ_MAX_LEN:-8192}" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    >"$work/log" 2>&1 || status=$?

grep -E '^(INFO: seed|#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)' \
    "$work/log" || true
execs=$(awk '/^stat::number_of_executed_units/ {print $2}' "$work/log")
crashes=$(find "$work/artifacts" -type f | wc -l)
echo "fuzz: $(basename "$fuzzer"): ${execs:-0} executions (bound ${seconds}s), $crashes crash(es), corpus $(ls "$work/corpus" | wc -l) inputs"
if [[ $status -ne 0 || $crashes -ne 0 ]]; then
    tail -n 60 "$work/log"
    for artifact in "$work"/artifacts/*; do
        [[ -f $artifact ]] && { echo "crashing input ($artifact):"; od -c "$artifact" | head -40; }
    done
    exit 1
fi
[[ ${execs:-0} -gt 0 ]] || { echo "fuzz: the fuzzer executed nothing"; exit 1; }
