#!/bin/bash
# The package as shipped, as a user meets it: the sockets listen from boot while the core is not
# running; the desktop user's first hint starts the core by socket activation, the kernel runs
# gamesched, and the hinted process is in the kernel's game map.
. /usr/local/lib/gamesched-system-test/lib.sh

check "gamesched.socket is active at boot" is_unit_state gamesched.socket active
check "gamesched-control.socket is active at boot" is_unit_state gamesched-control.socket active
check "gamesched.service is inactive at boot" is_unit_state gamesched.service inactive
check "no sched_ext scheduler at boot" [ "$(scx_state)" = disabled ]
check "gamesched.service runs without drop-ins (as shipped)" \
    [ -z "$(systemctl show -P DropInPaths gamesched.service gamesched.socket gamesched-control.socket)" ]
show ls -l /run/gamesched

# uid 1000 marks one of its own processes as a game, from outside any session.
as_user sh -c 'echo $$ > /tmp/own-game.pid; exec sleep 600' &
wait_for 10 test -s /tmp/own-game.pid
game_pid=$(cat /tmp/own-game.pid)
start=$EPOCHREALTIME
as_user gameschedctl game "$game_pid" --hold > /tmp/own-game.hint 2>&1 &
hold_pid=$!
check "uid $USER_UID's 'gameschedctl game $game_pid' (its own process) is accepted" \
    wait_for 60 grep -q '"ok": true' /tmp/own-game.hint
info "answered $(echo "($EPOCHREALTIME - $start) * 1000 / 1" | bc) ms after the first connection (socket activation, load, attach)"
show cat /tmp/own-game.hint
check "the connection started gamesched.service (socket activation)" is_unit_state gamesched.service active
check "the kernel runs gamesched (state=enabled, root/ops=gamesched)" wait_for 10 is_enabled_with gamesched
check "pid $game_pid is in the kernel's game map" wait_for 10 game_in_kernel "$game_pid"
show gameschedctl status

kill "$hold_pid" "$game_pid" 2> /dev/null
wait "$hold_pid" 2> /dev/null
check "pid $game_pid leaves the game map when it exits" wait_for 10 eval "! game_in_kernel $game_pid"

# Data files where the package puts them: the core read the installed thread-name table.
check "the installed core found its thread-name table (no warning in its journal)" \
    eval "! journalctl -b -u gamesched.service -o cat | grep -q 'thread-name hints not loaded'"
show journalctl -b -u gamesched.service -u gamesched.socket -o short-monotonic --no-pager
finish
