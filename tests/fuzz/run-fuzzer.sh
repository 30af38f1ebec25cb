#!/bin/bash
# Runs the decoder fuzzer for a bounded time from the seed corpus and fails on any crash, leak,
# sanitizer report or round-trip mismatch. Prints how many inputs were executed.
# usage: run-fuzzer.sh FUZZER SEED_WRITER DICT SECONDS
set -euo pipefail
fuzzer=$1 seeds=$2 dict=$3 seconds=$4

work=$(mktemp -d /tmp/gamesched-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
"$seeds" "$work/corpus"

status=0
"$fuzzer" "$work/corpus" -dict="$dict" -max_total_time="$seconds" -max_len=8192 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    >"$work/log" 2>&1 || status=$?

grep -E '^(INFO: seed|#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)' \
    "$work/log" || true
execs=$(awk '/^stat::number_of_executed_units/ {print $2}' "$work/log")
crashes=$(find "$work/artifacts" -type f | wc -l)
echo "fuzz: ${execs:-0} executions in ${seconds}s, $crashes crash(es), corpus $(ls "$work/corpus" | wc -l) inputs"
if [[ $status -ne 0 || $crashes -ne 0 ]]; then
    tail -n 60 "$work/log"
    for artifact in "$work"/artifacts/*; do
        [[ -f $artifact ]] && { echo "crashing input ($artifact):"; od -c "$artifact" | head -40; }
    done
    exit 1
fi
[[ ${execs:-0} -gt 0 ]] || { echo "fuzz: the fuzzer executed nothing"; exit 1; }
