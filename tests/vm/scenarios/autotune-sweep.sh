#!/bin/sh
# Not in the suite: a hand sweep of tunables for the autotune game (run it under icount, where
# a run repeats within about 1 %), to see which tunable moves its frame-miss ratio and by how much
# before asking the optimiser to find it:
#   GS_VM_ICOUNT=1 GS_VM_TIMEOUT=3000 tests/vm/run-scenario.sh build autotune-sweep \
#       gs_sweep_game=--chain:4:--workers:1:--streamers:1 gs_sweep=slice_us=20000,slice_us=2000
# gs_sweep: settings separated by commas, each one or more NAME=VALUE joined by '+', applied with
# gameschedctl set before a run (every run starts from the defaults); gs_sweep_game: the game's
# options with ':' for spaces, several games separated by '/'; gs_sweep_s, gs_sweep_warmup: seconds per run and not measured at its start (11, 4).
. /gamesched/lib.sh
. /gamesched/bench-lib.sh  # wait_until_quiet

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }
settings=$(arg gs_sweep | tr ',' ' ')
games=$(arg gs_sweep_game)
secs=$(arg gs_sweep_s); secs=${secs:-11}
warmup=$(arg gs_sweep_warmup); warmup=${warmup:-4}

wait_until_quiet 60 || info "the CPUs did not become idle: the calibration may be low"
gamesched-bench calibrate > /tmp/calibrate.out
start_core --stats 1
check "core attached" wait_for 20 is_enabled_with gamesched
defaults=$(gameschedctl status | tr -d ' \n' | grep -o '"tunables_in_kernel":{[^}]*}')
info "defaults: $defaults"
# The defaults as gameschedctl set arguments: every run starts from them.
reset_args=$(echo "$defaults" | sed 's/.*{//; s/}//; s/"//g; s/:/=/g; s/,/ /g; s/=true/=1/; s/=false/=0/')
per_us=$(json_number /tmp/calibrate.out loops_per_us)
info "loops per us: $per_us; $secs s per run"
hog_loops() { for i in 1 2 3; do json_number /tmp/hog$i.out loops; done | awk '{s += $1} END {printf "%d\n", s}'; }
for game_opts in $(echo "$games" | tr '/' ' '); do
game_opts=$(echo "$game_opts" | tr ':' ' ')
for setting in default $settings; do
    gameschedctl set $reset_args > /dev/null
    [ "$setting" = default ] || gameschedctl set $(echo "$setting" | tr '+' ' ') > /dev/null
    # Registered before its threads start, as autotune-ab does.
    gamesched-bench game $game_opts --loops-per-us $per_us --duration $secs --warmup $warmup \
        --start-on-signal > /tmp/game.out 2>&1 &
    game=$!
    wait_for 30 grep -q '"waiting"' /tmp/game.out
    game_pid=$(json_number /tmp/game.out pid | head -1)
    gameschedctl game ${game_pid:-none} synthetic --hold > /tmp/holder.out 2>&1 & holder=$!
    wait_for 30 game_in_kernel ${game_pid:-none} || info "the game was not registered: $(cat /tmp/holder.out)"
    kill -USR1 $game
    hogs=""
    for i in 1 2 3; do gamesched-bench hog --duration $secs > /tmp/hog$i.out 2>&1 & hogs="$hogs $!"; done
    wait $game
    kill $holder 2>/dev/null || info "the holder had gone: $(cat /tmp/holder.out)"
    wait $hogs
    streamer_ms=$(grep -o '"cpu_ms":[0-9.]*,[^}]*"role":"streamer"' /tmp/game.out | cut -d, -f1 | cut -d: -f2 | xargs)
    echo "GS-SWEEP [$game_opts] $setting frame_miss_ratio $(json_number /tmp/game.out frame_miss_ratio) p99_ms $(json_number /tmp/game.out frame_time_p99_ms) audio_misses $(json_number /tmp/game.out audio_misses) hog_loops $(hog_loops) game_cpu_ms $(json_number /tmp/game.out game_cpu_ms) streamer_cpu_ms $streamer_ms"
done
done
check "never ejected: still enabled with our ops" is_enabled_with gamesched
kill -TERM $CORE_PID; wait $CORE_PID
finish
