#!/bin/bash
# The core's life under systemd, with the units as shipped: a SIGKILL ejects the scheduler and
# systemd restarts the core, which re-attaches; `systemctl reload` applies
# /etc/gamesched/gamesched.conf without detaching; `systemctl stop gamesched` stops the sockets
# too, so nothing re-activates it; SysRq-S (the user's escape hatch) turns the scheduler off and
# stops the sockets, and it stays off while uid 1000 keeps hinting, until `systemctl start
# gamesched`. Expects the core attached (10-core) and leaves it attached.
. /usr/local/lib/gamesched-system-test/lib.sh

attached() { is_unit_state gamesched.service active && is_enabled_with gamesched; }
sockets_state() { echo "$(unit_state gamesched.socket)/$(unit_state gamesched-control.socket)"; }
sockets_are() { [[ $(sockets_state) == "$1" ]]; }
start_core() { systemctl start gamesched.service && wait_for 90 attached; }

session_active || start_user_session
attached || start_core
check "the core is attached to begin with" attached

# --- kill -9: the kernel falls back to the fair class, systemd restarts the core.
cursor=$(journal_cursor)
old_pid=$(core_pid)
marker="gamesched-system-test: SIGKILL to gamesched-core"
echo "$marker" > /dev/kmsg
start=$EPOCHREALTIME
systemctl kill -s KILL gamesched.service
check "after SIGKILL the kernel reports state=disabled" wait_for 30 scx_state_is disabled
info "state=disabled seen $(ms_since "$start") ms after the SIGKILL (polled every 100 ms; the issue's bound is 1 s; measured, not asserted)"
# The kernel's own clock: from the marker written just before the kill to its "disabled" line.
info "the kernel's log: $(dmesg | awk -v marker="$marker" '
    { t = substr($0, 2, index($0, "]") - 2) + 0 }
    index($0, marker) { start = t; done = 0 }
    start != "" && !done && /sched_ext: BPF scheduler "gamesched" disabled/ {
        printf "scheduler disabled %.0f ms after the kill was logged", (t - start) * 1000; done = 1 }')"
restarted() { [[ $(core_pid) != 0 && $(core_pid) != "$old_pid" ]] && attached; }
check "systemd restarted the core (Restart=on-failure) and it re-attached" wait_for 120 restarted
info "re-attached $(ms_since "$start") ms after the SIGKILL (RestartSec=2)"
check "the new attach is in the journal" journal_has "$cursor" MESSAGE_ID=$MSG_ATTACHED -- GAMESCHED_OPS=gamesched

# --- systemctl reload: the configuration file applies, the scheduler stays attached.
cursor=$(journal_cursor)
pid=$(core_pid)
conf=/etc/gamesched/gamesched.conf
[[ -e $conf ]] && cp "$conf" /tmp/gamesched.conf.orig
mkdir -p /etc/gamesched
printf '# written by the full-system test\nmode = powersave\nslice_us = 7000\n' > "$conf"
check "systemctl reload gamesched succeeds" systemctl reload gamesched.service
check "the journal says the file was applied (MESSAGE_ID=$MSG_CONFIG_APPLIED, GAMESCHED_MODE=powersave)" \
    wait_for 30 journal_has "$cursor" MESSAGE_ID=$MSG_CONFIG_APPLIED -- GAMESCHED_MODE=powersave GAMESCHED_CONFIG_FILE=$conf
check "the core kept running and attached (same pid $pid)" eval '[ "$(core_pid)" = "$pid" ] && attached'
check "status reports mode powersave and slice_us 7000" \
    eval "gameschedctl status | tr -d ' \n' | grep -q '\"mode\":\"powersave\"' && gameschedctl status | tr -d ' \n' | grep -q '\"slice_us\":7000'"
show journalctl -b -q MESSAGE_ID=$MSG_CONFIG_APPLIED -o verbose -n 1
if [[ -e /tmp/gamesched.conf.orig ]]; then mv /tmp/gamesched.conf.orig "$conf"; else rm -f "$conf"; fi
systemctl reload gamesched.service

# A hint loop as uid 1000, as a game launcher would keep sending: counts answers it got.
hint_for() { # hint_for SECONDS: one 'gameschedctl game' per second; prints how many were accepted
    local until=$((SECONDS + $1)) accepted=0
    local game
    game=$(start_user_process)
    while ((SECONDS < until)); do
        as_user timeout 10 gameschedctl game "$game" > /dev/null 2>&1 && accepted=$((accepted + 1))
        sleep 1
    done
    kill "$game" 2> /dev/null
    echo "$accepted"
}
stays_off() { # stays_off SECONDS: the scheduler stays off while uid 1000 hints all along
    local accepted
    accepted=$(hint_for "$1")
    info "$1 s of hints from uid $USER_UID: $accepted accepted; state $(scx_state), gamesched.service $(unit_state gamesched.service), sockets $(sockets_state)"
    [[ $accepted == 0 && $(scx_state) == disabled && $(unit_state gamesched.service) == inactive ]]
}

# --- systemctl stop gamesched: the sockets stop with it (PartOf=).
systemctl stop gamesched.service
check "systemctl stop gamesched: the service is inactive" is_unit_state gamesched.service inactive
check "gamesched.socket and gamesched-control.socket stopped with it" wait_for 30 sockets_are inactive/inactive
check "the scheduler is off" [ "$(scx_state)" = disabled ]
check "uid $USER_UID's hints do not start it again (10 s)" stays_off 10
check "systemctl start gamesched brings it back" start_core
check "and its sockets" [ "$(sockets_state)" = active/active ]

# --- SysRq-S: the user's escape hatch holds.
cursor=$(journal_cursor)
echo S > /proc/sysrq-trigger
check "SysRq-S: the kernel reports state=disabled" wait_for 30 scx_state_is disabled
check "the core exits with status 10 (stopped by the user), not a failure" \
    wait_for 60 eval '[ "$(unit_state gamesched.service)" = inactive ] && [ "$(systemctl show -P ExecMainStatus gamesched.service)" = 10 ]'
check "the sockets stopped (ExecStopPost=)" wait_for 60 sockets_are inactive/inactive
check "the journal has the ejection with the kernel's reason (MESSAGE_ID=$MSG_EJECTED)" \
    journal_has "$cursor" MESSAGE_ID=$MSG_EJECTED -- 'GAMESCHED_EXIT_REASON=.+' 'GAMESCHED_EXIT_KIND=.+'
check "and 'stopped by the user' (MESSAGE_ID=$MSG_STOPPED_BY_USER, GAMESCHED_STOP_REASON=sysrq)" \
    journal_has "$cursor" MESSAGE_ID=$MSG_STOPPED_BY_USER -- GAMESCHED_STOP_REASON=sysrq
show journalctl -b -q --since="$cursor" -o verbose MESSAGE_ID=$MSG_EJECTED + MESSAGE_ID=$MSG_STOPPED_BY_USER
check "it stays off for 30 s while uid $USER_UID keeps sending hints" stays_off 30
check "systemctl start gamesched brings it back" start_core
check "with its sockets" [ "$(sockets_state)" = active/active ]
# The same hint loop is answered now: the refusals above were the scheduler being off.
check "uid $USER_UID's hints are accepted again" eval '[ "$(hint_for 5)" -gt 0 ]'
show journalctl -b -u gamesched.service -u gamesched.socket -u gamesched-control.socket -o short-monotonic --no-pager --since="$cursor"
finish
