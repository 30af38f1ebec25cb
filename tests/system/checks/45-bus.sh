#!/bin/bash
# The D-Bus API as installed: gamesched-bus activated on the real system bus, the real polkitd
# deciding. uid 1000 (the person at seat0) registers its own process through busctl and it lands
# in the kernel's game map; another user's process is refused with an error that says why (and no
# more: the same words as for a pid that does not exist); SetTunables is polkit's denial until a
# rule lets group gamesched, then applied and read back from the kernel's map; GameExited arrives
# when the game exits; Stop needs an administrator, and root's Stop/Start detach and re-attach.
# ListProfiles reaches gamesched-mlcollect (its socket started for it, an error saying so before);
# PinProfile needs an administrator.
. /usr/local/lib/gamesched-system-test/lib.sh

S=org.gamesched.Scheduler1 P=/org/gamesched/Scheduler1
# From uid 1000's session: the person at seat0, as polkit's allow_active means it.
call_as_user() { in_user_session busctl --system call $S $P $S "$@" 2>&1; }
tunable_in_kernel() { gameschedctl status | tr -d ' \n' | grep -q "\"$1\":$2[,}]"; }

session_active || start_user_session
check "the core attached" wait_for 60 is_enabled_with gamesched
show loginctl show-user $USER_NAME -p State -p Display
check "a command run in uid $USER_UID's session is in it (logind)" \
    eval '[[ $(in_user_session cat /proc/self/cgroup) == *session-*.scope ]]'
check "... while one run by runuser is not (so the session is what polkit is shown)" \
    eval '[[ $(as_user cat /proc/self/cgroup) != *session-*.scope ]]'

# The first call activates the bridge (dbus → gamesched-bus.service).
check "Version answers (bus activation of gamesched-bus.service)" \
    wait_for 60 as_user busctl --system get-property $S $P $S Version
check "gamesched-bus.service runs as user gamesched-bus" \
    wait_for 30 eval '[[ $(ps -o user= -p "$(systemctl show -P MainPID gamesched-bus.service)") == gamesched-bus ]]'

# The profile methods are answered by gamesched-mlcollect through its socket (0660
# root:gamesched), which the bridge opens as a member of group gamesched. The socket is not
# enabled on install: first the error that says to start it, then the list.
ml_socket_was=$(unit_state gamesched-mlcollect.socket)
if [[ $ml_socket_was != active ]]; then
    out=$(call_as_user ListProfiles)
    info "uid $USER_UID ListProfiles, gamesched-mlcollect.socket $ml_socket_was: $out"
    check "ListProfiles without the collector: CoreUnavailable, saying to start gamesched-mlcollect.socket" \
        grep -q "gamesched-mlcollect is not running.*gamesched-mlcollect.socket" <<< "$out"
    systemctl start gamesched-mlcollect.socket
fi
# The first connection starts the collector (socket activation); on a slow guest that takes a while.
check "ListProfiles as uid $USER_UID (not in group gamesched): the collector's list, through the bridge" \
    wait_for 60 eval '[[ $(call_as_user ListProfiles) == *profiles* ]]'
show call_as_user ListProfiles
check "... while uid $USER_UID cannot open mlcollect.sock itself" not as_user gameschedctl profile list
out=$(call_as_user PinProfile s nonesuch)
info "uid $USER_UID PinProfile: $out"
check "PinProfile as uid $USER_UID: polkit's denial (manage-profiles needs an administrator)" \
    grep -q "org.freedesktop.PolicyKit1.Error.NotAuthorized\|did not authorise" <<< "$out"
[[ $ml_socket_was == active ]] || systemctl stop gamesched-mlcollect.socket gamesched-mlcollect.service

busctl --system monitor $S > /tmp/bus-monitor.log 2>&1 &
monitor=$!
game=$(start_user_process)
out=$(call_as_user RegisterGame i "$game")
info "uid $USER_UID RegisterGame($game): ${out:-(no error)}"
check "RegisterGame: uid $USER_UID's own process is accepted" [ -z "$out" ]
check "... and is in the kernel's game map" wait_for 30 game_in_kernel "$game"

roots=$(start_process_as root)
out=$(call_as_user RegisterGame i "$roots")
info "uid $USER_UID RegisterGame($roots, root's): $out"
check "RegisterGame: root's process is refused as NotYours, saying why" \
    grep -q "$S.Error.NotYours\|is not one of your processes" <<< "$out"
check "... and is not in the kernel's game map" not game_in_kernel "$roots"

out=$(call_as_user SetTunables 'a{st}' 1 slice_us 4000)
info "uid $USER_UID SetTunables without a rule: $out"
check "SetTunables without authorisation: polkit's denial" \
    grep -q "org.freedesktop.PolicyKit1.Error.NotAuthorized\|polkit (org.freedesktop.PolicyKit1) did not authorise" <<< "$out"
check "... and the kernel's slice_us is not 4000" not tunable_in_kernel slice_us 4000

usermod -aG gamesched $USER_NAME
cat > /etc/polkit-1/rules.d/60-gamesched-test.rules << 'EOF'
polkit.addRule(function(action, subject) {
    if (action.id == "org.gamesched.Scheduler1.set-tunables" && subject.isInGroup("gamesched"))
        return polkit.Result.YES;
});
EOF
# polkitd reloads its rules when the directory changes; retry until it has.
check "SetTunables with a polkit rule for group gamesched: accepted" \
    wait_for 30 eval '[ -z "$(call_as_user SetTunables "a{st}" 1 slice_us 4000)" ]'
check "... and read back from the kernel's map" wait_for 30 tunable_in_kernel slice_us 4000
rm -f /etc/polkit-1/rules.d/60-gamesched-test.rules
gpasswd -d $USER_NAME gamesched > /dev/null
gameschedctl mode auto > /dev/null 2>&1 || true  # the defaults back for the checks after this one

kill "$game"
check "GameExited arrives when the game exits" \
    wait_for 30 eval "grep -A12 'Member=GameExited' /tmp/bus-monitor.log | grep -q 'INT32 $game'"
check "GameStarted was signalled for it" grep -q 'Member=GameStarted' /tmp/bus-monitor.log

out=$(call_as_user Stop)
info "uid $USER_UID Stop: $out"
check "Stop: uid $USER_UID is not an administrator (polkit's denial)" \
    grep -q "org.freedesktop.PolicyKit1.Error.NotAuthorized\|did not authorise" <<< "$out"
check "... and the scheduler still runs" is_enabled_with gamesched
out=$(busctl --system call $S $P $S Stop 2>&1)
check "Stop as root: accepted [$out]" [ -z "$out" ]
check "... the scheduler detached" wait_for 60 not is_enabled_with gamesched
out=$(busctl --system call $S $P $S Start 2>&1)
check "Start as root: accepted [$out]" [ -z "$out" ]
check "... gamesched.service runs again" wait_for 60 is_unit_state gamesched.service active
check "... and the scheduler attached" wait_for 60 is_enabled_with gamesched

kill $monitor "$roots" 2> /dev/null
show journalctl -b -u gamesched-bus.service --no-pager
finish
