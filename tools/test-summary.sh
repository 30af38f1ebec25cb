#!/bin/bash
# Prints one closing line over meson's JSON test logs: "N passed, N failed, N skipped".
# A skipped test is not a pass: any skip makes this exit non-zero.
passed=0 failed=0 skipped=0
for log in "$@"; do
    [[ -f $log ]] || continue
    p=$(grep -c '"result": "OK"' "$log" || true)
    f=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
    s=$(grep -c '"result": "SKIP"' "$log" || true)
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed == 0 && $skipped == 0 ]]
