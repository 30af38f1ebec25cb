#!/bin/sh
# ./run demo: gamesched-core while a synthetic game (registered as a game through hints.sock)
# plays against CPU hogs, with a uinput keyboard typing into it; `gameschedctl top --plain` shows
# what happens, one screen per second.
. /gamesched/lib.sh
secs=${gs_demo_seconds:-15}
load_input_modules
show_scx
start_core
check "core attached" wait_for 20 is_enabled_with gamesched
show_scx
input-probe keyboard 100000 1000 > /dev/null 2>&1 & probe=$!
wait_for 10 input_node_named "gamesched probe keyboard" > /dev/null
kbd=$(input_node_named "gamesched probe keyboard")
info "starting a synthetic game (neutral thread names) and 3 CPU hogs for $secs s"
gamesched-bench game --duration $secs --input $kbd > /tmp/game.out 2>&1 & game=$!
for i in 1 2 3; do gamesched-bench hog --duration $secs > /dev/null 2>&1 & done
wait_for 10 grep -q '"started"' /tmp/game.out
game_pid=$(json_number /tmp/game.out pid | head -1)
gameschedctl game $game_pid synthetic-game --hold > /dev/null 2>&1 & holder=$!
info "game pid $game_pid registered; gameschedctl top --plain follows, one screen per second"
# The view competes with the hogs it shows; under TCG it would get a screen out every ~15 s.
gameschedctl top --plain --interval 1 & top=$!
renice -n -10 -p $top > /dev/null
wait $game
kill $top $holder $probe 2>/dev/null
info "the game's own measurements: $(grep -oE '"(frame_miss_ratio|render_wake_lateness_p99_us|input_start_latency_p99_us)":[0-9.e-]*' /tmp/game.out | tr '\n' ' ')"
kill -TERM $CORE_PID
check "detached" wait_for 5 is_disabled
show_scx
finish
