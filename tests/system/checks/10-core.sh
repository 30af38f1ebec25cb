#!/bin/bash
# The package as shipped, as a user meets it: at boot the sockets listen and the core does not
# run; once the desktop user is logged in, its first connection (gamesched-detect subscribing, or
# its own hint) starts the core by socket activation; the core attaches with only the
# capabilities its unit gives it, reads the installed data files, logs its attach to the journal,
# and uid 1000's hint for its own process reaches the kernel's game map. Root's status works.
# Leaves the core attached and the user logged in.
. /usr/local/lib/gamesched-system-test/lib.sh

check "gamesched.socket is active at boot" is_unit_state gamesched.socket active
check "gamesched-control.socket is active at boot" is_unit_state gamesched-control.socket active
check "gamesched.service is inactive at boot" is_unit_state gamesched.service inactive
check "no sched_ext scheduler at boot" [ "$(scx_state)" = disabled ]
check "the units run as shipped (no drop-ins)" \
    [ -z "$(systemctl show -P DropInPaths gamesched.service gamesched.socket gamesched-control.socket)" ]
show ls -l /run/gamesched

# Socket activation: nobody runs systemctl start; the user's connection starts the core.
cursor=$(journal_cursor)
start=$EPOCHREALTIME
check "uid $USER_UID logs in on tty1 (autologin: a logind session on seat0)" start_user_session
show loginctl show-user $USER_NAME -p State -p Display -p Sessions
info "gamesched.service after the login: $(unit_state gamesched.service) (gamesched-detect subscribes at start)"
game_pid=$(start_user_process)
# The first connection waits for the core to load and attach (seconds under TCG); a user whose
# command timed out meanwhile runs it again, and so does this check.
hint_own_game() {
    grep -Eq "\"pid\": *$game_pid\b" /tmp/own-game.hint 2> /dev/null && return 0
    if [[ -z ${hold_pid:-} ]] || ! kill -0 "$hold_pid" 2> /dev/null; then
        as_user gameschedctl game "$game_pid" --hold > /tmp/own-game.hint 2>&1 &
        hold_pid=$!
    fi
    return 1
}
check "uid $USER_UID's 'gameschedctl game $game_pid' (its own process) is accepted" wait_for 180 hint_own_game
show cat /tmp/own-game.hint
check "gamesched.service was started by socket activation" is_unit_state gamesched.service active
check "the kernel runs gamesched (state=enabled, root/ops=gamesched)" wait_for 30 is_enabled_with gamesched
info "attached $(ms_since "$start") ms after the login began (activation, BPF load, attach)"
check "pid $game_pid is in the kernel's game map" wait_for 30 game_in_kernel "$game_pid"
check "root's 'gameschedctl status' answers" eval 'gameschedctl status > /tmp/status.json 2>&1'
show cat /tmp/status.json
check "the attach is in the journal (MESSAGE_ID=$MSG_ATTACHED, GAMESCHED_OPS=gamesched)" \
    journal_has "$cursor" MESSAGE_ID=$MSG_ATTACHED -- GAMESCHED_OPS=gamesched GAMESCHED_STATE=enabled
check "so is the game's registration (MESSAGE_ID=$MSG_GAME_REGISTERED, GAMESCHED_PID=$game_pid)" \
    journal_has "$cursor" MESSAGE_ID=$MSG_GAME_REGISTERED -- GAMESCHED_PID=$game_pid GAMESCHED_UID=$USER_UID
show journalctl -b -q MESSAGE_ID=$MSG_ATTACHED -o verbose -n 1

# Only the capabilities the unit names: bounding, effective and permitted sets equal the unit's
# CapabilityBoundingSet; nothing inheritable or ambient.
pid=$(core_pid)
shipped=$(systemctl show -P CapabilityBoundingSet gamesched.service | tr ' ' '\n' | sort | xargs)
cap_names() { capsh --decode="$(awk -v f="$1:" '$1 == f { print $2 }' /proc/$pid/status)" | sed 's/.*=//' | tr ',' '\n' | grep -v '^$' | sort | xargs; }
info "the unit's CapabilityBoundingSet: $shipped"
show grep '^Cap' /proc/$pid/status
check "the core's bounding set is the unit's ($shipped)" [ "$(cap_names CapBnd)" = "$shipped" ]
check "its effective set is the same" [ "$(cap_names CapEff)" = "$shipped" ]
check "its permitted set is the same" [ "$(cap_names CapPrm)" = "$shipped" ]
check "nothing inheritable or ambient" [ -z "$(cap_names CapInh)$(cap_names CapAmb)" ]

# Data files where the package puts them.
check "the core read the installed thread-name table (/usr/share/gamesched/thread-roles.json)" \
    eval "journalctl -b -u gamesched.service -o cat | grep -q 'thread-name hints: [0-9]* names from /usr/share/gamesched/thread-roles.json'"
check "no warning about a missing data file" \
    not eval "journalctl -b -u gamesched.service -o cat | grep -Eq 'is missing|not loaded'"

kill "$hold_pid" "$game_pid" 2> /dev/null
wait "$hold_pid" 2> /dev/null
check "pid $game_pid leaves the game map when it exits" wait_for 30 not game_in_kernel "$game_pid"
show journalctl -b -u gamesched.service -u gamesched.socket -o short-monotonic --no-pager
finish
