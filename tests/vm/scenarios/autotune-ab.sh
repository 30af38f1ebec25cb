#!/bin/sh
# NOT YET IN THE SUITE (tests/vm/meson.build): being made to pass; see the ml notes.
# Autotune end to end: a game with a long frame chain (its best tunables are not the defaults)
# runs under autotune until a profile is learned; an A/B run in the same boot compares the
# defaults with the profile (frame misses, hog throughput); on the game's next start the profile's
# tunables are in the kernel's map without any command. Trials are short here (docs/autotune.md
# has the real ones).
. /gamesched/lib.sh

start_core --stats 1
check "core attached" wait_for 20 is_enabled_with gamesched

ML_OPTS="--socket /run/gamesched/control.sock --state-dir /tmp/ml --autotune-tunables game_boost_pct,slice_us"
TUNE_OPTS="--autotune-settle 1 --autotune-measure 2 --autotune-repeats 2 --autotune-budget 5"
GAME_OPTS="--chain 4 --workers 1"
PROFILE=/tmp/ml/profiles/exe-gamesched-bench.json
gamesched-mlcollect $ML_OPTS $TUNE_OPTS > /tmp/ml.log 2>&1 & ml=$!
hogs="" holder=""
start_hogs() { hogs=""; for i in 1 2 3; do gamesched-bench hog --duration $1 > /tmp/hog$i.out 2>&1 & hogs="$hogs $!"; done; }
# start_game OUT DURATION: runs the chain game registered as a game; sets game and holder.
start_game() {
    gamesched-bench game $GAME_OPTS --duration $2 --warmup 2 > $1 2>&1 &
    game=$!
    wait_for 10 grep -q '"started"' $1
    gameschedctl game $(json_number $1 pid | head -1) synthetic --hold > /dev/null 2>&1 & holder=$!
}
start_hogs 400
start_game /tmp/tuned.out 400
check "autotune learned a profile while the game ran" wait_for 300 grep -qs '"status": "learned"' $PROFILE
sed 's/^/GS-INFO ml: /' /tmp/ml.log | tail -40
tail -2 /tmp/core.log | cut -c1-600 | sed 's/^/GS-INFO core: /'
kill $game $holder $hogs 2>/dev/null; wait $game $hogs 2>/dev/null
kill -TERM $ml; wait $ml

# A/B in the same boot, alternating: defaults (no collector), then the profile (collector with
# autotune off: the profile applies when the game starts).
kernel_boost() { gameschedctl status | tr -d ' \n' | grep -o '"tunables_in_kernel":{[^}]*' | grep -o '"game_boost_pct":[0-9]*' | cut -d: -f2; }
# "tunables" is the profile's last object holding game_boost_pct (keys are sorted; "results" and
# "baseline" come before it).
profile_boost=$(grep -o '"game_boost_pct": [0-9]*' $PROFILE | tail -1 | cut -d' ' -f2)
kernel_has_profile() { [ "$(kernel_boost)" = "$profile_boost" ]; }
info "profile: $(tr -d ' \n' < $PROFILE | grep -o '"tunables":{[^}]*}')"
miss_a=0 miss_b=0 loops_a=0 loops_b=0
add() { awk -v a="$1" -v b="${2:-0}" 'BEGIN { printf "%.6f\n", a + b }'; }
hog_loops() { for i in 1 2 3; do json_number /tmp/hog$i.out loops; done | awk '{s += $1} END {printf "%d\n", s}'; }
for round in 1 2; do
    start_hogs 22; start_game /tmp/a$round.out 20; wait $game; kill $holder; wait $hogs
    miss_a=$(add $miss_a $(json_number /tmp/a$round.out frame_miss_ratio)); loops_a=$(add $loops_a $(hog_loops))
    gamesched-mlcollect $ML_OPTS --no-autotune > /tmp/ml-b.log 2>&1 & ml=$!
    start_hogs 22; start_game /tmp/b$round.out 20
    wait_for 15 kernel_has_profile
    [ $round = 1 ] && check "on the game's next start the profile is in the kernel's map, no command" \
        [ "$(kernel_boost)" = "$profile_boost" ]
    wait $game; kill $holder; wait $hogs
    miss_b=$(add $miss_b $(json_number /tmp/b$round.out frame_miss_ratio)); loops_b=$(add $loops_b $(hog_loops))
    kill -TERM $ml; wait $ml
done
echo "GS-COMPARE autotune A/B: frame miss ratio defaults $miss_a, profile $miss_b (sums of 2 rounds); hog loops defaults $loops_a, profile $loops_b"
check "the profile cuts the frame-miss ratio by at least 20 %" awk "BEGIN { exit !($miss_b <= 0.8 * $miss_a) }"
check "background throughput at least 0.9x the defaults'" awk "BEGIN { exit !($loops_b >= 0.9 * $loops_a) }"
check "never ejected: still enabled with our ops" is_enabled_with gamesched
kill -TERM $CORE_PID; wait $CORE_PID
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
finish
