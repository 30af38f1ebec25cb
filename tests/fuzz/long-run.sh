#!/bin/bash
# The long fuzzing run (./run fuzz): every fuzzer for RUNS executions (default 10 million), one
# after the other, each bounded by 6 hours. Fails if any crashes or falls short of RUNS.
# usage: long-run.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$1 runs=${2:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
fuzz=$build/tests/fuzz
rc=0
run() { # name fuzzer seeds dict
    local log
    log=$(mktemp)
    if ! "$here/run-fuzzer.sh" "$2" "$3" "$4" 21600 "$runs" | tee "$log"; then rc=1; fi
    local execs
    execs=$(sed -n 's/.*: \([0-9]*\) executions.*/\1/p' "$log" | tail -1)
    if [[ ${execs:-0} -lt $runs ]]; then
        echo "fuzz: $1 ran ${execs:-0} of $runs executions"
        rc=1
    fi
    rm -f "$log"
}
run ipc-decoder "$fuzz/ipc-decoder-fuzzer" "$fuzz/ipc-fuzz-seeds" "$here/ipc.dict"
run rule-parser "$fuzz/rule-parser-fuzzer" "$here/seed-rules.sh" "$here/rules.dict"
# See kwin_callback_fuzzer.cpp for its smaller input bound.
FUZZ_MAX_LEN=2048 run kwin-callback "$fuzz/kwin-callback-fuzzer" "$here/seed-kwin.sh" -
exit $rc
