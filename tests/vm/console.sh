# Reading a guest's serial console (sourced by tests/vm/run-scenario.sh and
# tests/system/run-system.sh). The guest reports with lines "GS-CHECK PASS|FAIL ..." and one
# "GS-RESULT PASS|FAIL"; a kernel oops anywhere fails the run.

# read_console MARKER: echoes every line of stdin (the console); counts checks into CHECK_PASSES
# and CHECK_FAILS, sets GUEST_RESULT, KERNEL_OOPS (0/1), GUEST_LINES (lines from the guest's own
# programs, "GS-…") and MARKER_S (seconds from CONSOLE_START, default now, to the first line
# starting with MARKER).
read_console() {
    local marker=$1 line start=${CONSOLE_START:-$EPOCHREALTIME}
    CHECK_PASSES=0 CHECK_FAILS=0 GUEST_RESULT="" KERNEL_OOPS=0 MARKER_S="" GUEST_LINES=0
    while IFS= read -r line; do
        line=${line%$'\r'}
        echo "$line"
        case $line in
            "$marker"*) [[ -z $MARKER_S ]] && MARKER_S=$(echo "$EPOCHREALTIME - $start" | bc) ;;
        esac
        [[ $line == GS-* ]] && GUEST_LINES=$((GUEST_LINES + 1))
        case $line in
            "GS-CHECK PASS"*) CHECK_PASSES=$((CHECK_PASSES + 1)) ;;
            "GS-CHECK FAIL"*) CHECK_FAILS=$((CHECK_FAILS + 1)) ;;
            GS-RESULT*) GUEST_RESULT=${line#GS-RESULT } ;;
            *"Oops"*|*"Kernel panic"*|*"BUG: "*|*"general protection fault"*) KERNEL_OOPS=1 ;;
        esac
    done
}

# console_verdict NAME TIMEOUT_S: prints the verdict of what read_console saw; 0 only for a pass.
console_verdict() {
    local name=$1 timeout_s=$2
    if [[ $KERNEL_OOPS == 1 ]]; then echo "FAIL: the guest kernel oopsed or panicked"; return 1; fi
    if [[ -z $GUEST_RESULT ]]; then echo "FAIL: the guest never reported a result (crash or ${timeout_s}s timeout)"; return 1; fi
    if [[ $GUEST_RESULT != PASS || $CHECK_FAILS != 0 || $CHECK_PASSES == 0 ]]; then echo "FAIL: $name"; return 1; fi
    echo "PASS: $name"
}
