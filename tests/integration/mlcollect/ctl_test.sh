#!/bin/bash
# gameschedctl profile … / ml export against a real gamesched-mlcollect on its own socket: a state
# directory with one learned profile and a few thousand sample records; the collector runs
# without a core (its request socket answers regardless). Run as root (CI does): the socket's
# permission check is tried as uid 65534.
# Usage: ctl_test.sh BUILD_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
ctl=$build/tools/ctl/gameschedctl
mlcollect=$build/helpers/mlcollect/gamesched-mlcollect
work=$(mktemp -d)
chmod 755 "$work"
ml_pid=""
trap '[ -n "$ml_pid" ] && kill "$ml_pid" 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
failures=0
check() {
    local what=$1; shift
    if "$@"; then echo "PASS $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

state=$work/state run=$work/run
mkdir -p "$state/profiles" "$state/samples" "$run"
cp "$(dirname "$0")/exe-mygame.profile.json" "$state/profiles/exe-mygame.json"
rows=4000  # about 2.5 MB of CSV: many reply records
for ((i = 0; i < rows; i++)); do
    printf '{"schema":1,"kind":"sample","ts_ms":%d,"interval_ms":1000,"game":{"key":"exe-mygame","pid":42,"name":"My Game","exe":"mygame","source":"manual"},"phase":"profile","tunables":{"game_boost_pct":80,"slice_us":2000},"roles":{"render":{"wait_hist":[1,2,3,0,0,0,0,0,0,0,0,0,0,0,0,0],"wait_sum_us":12,"wakeups":6,"period_sum_us":99000,"beat_misses":1}},"deadline_misses":1,"boosts":5,"preemptions":0,"migrations":2,"game_cpu_ms":400,"game_cpu_share":0.2,"background_cpu_ms":900,"background_cpu_share":0.45,"starvation_rescues":0}\n' $i
done > "$state/samples/exe-mygame.jsonl"

"$mlcollect" --socket "$work/no-core.sock" --listen "$run/mlcollect.sock" --state-dir "$state" --no-autotune \
    > "$work/ml.log" 2>&1 &
ml_pid=$!
for _ in $(seq 100); do [ -S "$run/mlcollect.sock" ] && break; sleep 0.1; done
ctl() { "$ctl" --socket-dir "$run" "$@"; }
profile_field() { grep -o "\"$1\": *[a-z0-9\"]*" "$state/profiles/exe-mygame.json" | head -1 | sed 's/.*: *//'; }

ctl profile list > "$work/list" 2>&1
check "profile list shows the game, its status and tunables" \
    grep -Eq '^exe-mygame +My Game +learned +no +1 +0\.050 +0\.200 +game_boost_pct=80 slice_us=2000$' "$work/list"
check "profile list --json is the summary" sh -c "'$ctl' --socket-dir '$run' profile list --json | grep -q '\"status\": \"learned\"'"
check "profile show by name prints the whole profile" sh -c "'$ctl' --socket-dir '$run' profile show 'My Game' | grep -q '\"results\"'"
ctl profile pin exe-mygame > /dev/null
check "profile pin is stored" [ "$(profile_field pinned)" = true ]
ctl profile unpin "My Game" > /dev/null
check "profile unpin is stored" [ "$(profile_field pinned)" = false ]
check "profile export is a JSON array of whole profiles" \
    sh -c "'$ctl' --socket-dir '$run' profile export | python3 -c 'import json,sys; p=json.load(sys.stdin); sys.exit(not (len(p)==1 and p[0][\"results\"]))'"
ctl ml export --csv > "$work/all.csv"
check "ml export --csv: a header and every sample, across many reply records" [ "$(wc -l < "$work/all.csv")" = $((rows + 1)) ]
check "the CSV's columns" grep -q '^game_key,game_name,ts_ms,interval_ms,phase,trial,game_boost_pct,slice_us,input_waits' "$work/all.csv"
check "the last sample is complete" grep -qx "exe-mygame,My Game,$((rows - 1)),1000,profile,,80,2000,0,,0,6,2.0,6,0,,0,0,,0,0,,0,1,5,0,2,400,0.2,900,0.45,0" "$work/all.csv"
check "ml export --csv GAME: the same for one game" [ "$(ctl ml export --csv exe-mygame | wc -l)" = $((rows + 1)) ]

ctl profile show nonesuch > "$work/out" 2> "$work/err"; rc=$?
check "an unknown game: exit 1 and what to do" sh -c "[ $rc = 1 ] && grep -q 'gameschedctl profile list' '$work/err'"
ctl ml export > /dev/null 2> "$work/err"; rc=$?
check "ml export without --csv: a usage error" sh -c "[ $rc = 2 ] && grep -q 'add --csv' '$work/err'"
setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl" --socket-dir "$run" profile list > /dev/null 2> "$work/err"; rc=$?
check "another user without the group is refused by the socket's mode" \
    sh -c "[ $rc = 1 ] && grep -q 'root or group gamesched' '$work/err'"
check "the socket is 0660" [ "$(stat -c %a "$run/mlcollect.sock")" = 660 ]

ctl profile reset "My Game" > /dev/null
check "profile reset removes the profile" [ ! -e "$state/profiles/exe-mygame.json" ]
check "profile list is empty afterwards" sh -c "[ \$('$ctl' --socket-dir '$run' profile list | wc -l) = 1 ]"
check "samples stay after a reset" [ "$(ctl ml export --csv | wc -l)" = $((rows + 1)) ]

kill -TERM $ml_pid; wait $ml_pid; rc=$?; ml_pid=""
check "the collector stops cleanly on SIGTERM" [ $rc = 0 ]
ctl profile list > /dev/null 2> "$work/err"; rc=$?
check "with the collector gone: exit 1 and how to start it" \
    sh -c "[ $rc = 1 ] && grep -q 'systemctl enable --now gamesched-mlcollect.socket' '$work/err'"
if [ $failures -ne 0 ]; then sed 's/^/ml.log: /' "$work/ml.log"; fi
echo "$failures failed"
exit $((failures != 0))
