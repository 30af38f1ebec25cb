#!/bin/sh
# Per-game statistics for autotune (gamesched-mlcollect): a registered synthetic game under CPU
# hogs shows up in the core's stats samples with per-role waits, wake periods and beat misses
# counted by the BPF scheduler, its CPU time, and the background's CPU time.
. /gamesched/lib.sh

start_core --stats 1
check "core attached" wait_for 20 is_enabled_with gamesched
hogs=""
for i in 1 2 3; do gamesched-bench hog --duration 14 > /tmp/hog$i.out 2>&1 & hogs="$hogs $!"; done
gamesched-bench game --duration 12 > /tmp/game.out 2>&1 &
game=$!
check "the game started" wait_for 10 grep -q '"started"' /tmp/game.out
game_pid=$(json_number /tmp/game.out pid | head -1)
gameschedctl game $game_pid synthetic --hold > /dev/null 2>&1 & holder=$!
sleep 8
# The last sample line that lists the game with roles.
grep '"games":\[{' /tmp/core.log | tail -1 > /tmp/sample.json
info "sample: $(head -c 1500 /tmp/sample.json)"
# The per-game part ("games") sorts before "state"; a role appears there only with counts in it
# (which roles depends on what was recognised, and a crawling guest may see few wakeups).
check "the game threads' waits and wakeups are counted per game and role" \
    sh -c "tr -d ' ' < /tmp/sample.json | grep -o '\"games\":\[.*\"state\"' | grep -q '\"roles\":{\"[a-z_]*\":{'"
check "wait histograms per role per game" grep -q '"wait_hist":\[' /tmp/sample.json
check "the game's CPU time is in the sample" grep -q '"cpu_ms":[1-9]' /tmp/sample.json
check "the background's CPU time is in the sample" grep -q '"background_ms":[1-9]' /tmp/sample.json
check "the executable's name is in the sample" grep -q '"exe":"gamesched-bench"' /tmp/sample.json
wait $game
kill $holder 2>/dev/null
sleep 2
check "the game's statistics entry left with the game" sh -c "! tail -1 /tmp/core.log | grep -q '\"pid\":$game_pid'"
wait $hogs

kill -TERM $CORE_PID; wait $CORE_PID
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
finish
