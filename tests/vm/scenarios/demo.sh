#!/bin/sh
# ./run demo: gamesched-core with live statistics while a synthetic game (registered as a game
# through hints.sock) plays against CPU hogs, with a uinput keyboard typing into it.
. /gamesched/lib.sh
secs=${gs_demo_seconds:-15}
load_input_modules
show_scx
gamesched-core --stats 1 2>&1 | while IFS= read -r line; do echo "core | $line"; done &
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
info "game pid $game_pid registered; one stats line per second follows (counters, wait p50/p99 per role, thread roles)"
wait $game
kill $holder $probe 2>/dev/null
info "the game's own measurements: $(grep -oE '"(frame_miss_ratio|render_wake_lateness_p99_us|input_start_latency_p99_us)":[0-9.e-]*' /tmp/game.out | tr '\n' ' ')"
killall -TERM gamesched-core
check "detached" wait_for 5 is_disabled
show_scx
finish
