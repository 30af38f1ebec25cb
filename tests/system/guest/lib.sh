# Shared by the full-system checks (bash, inside the systemd-booted guest). Each check prints one
# GS-CHECK line that the host runner turns into the test's result.
SCX=/sys/kernel/sched_ext
USER_NAME=player
USER_UID=1000
. /usr/local/lib/gamesched-system-test/report.sh
# Prints a command's output prefixed for the log (the host shows every line).
show() { info "\$ $*"; "$@" 2>&1 | sed "s/^/GS-OUT $GS_AREA: /"; }
# Ends a check script: non-zero when any of its checks failed.
finish() { exit $GS_FAILED; }
# `check "…" not command…`: a shell function is unknown inside `sh -c "! …"`, so negate here.
not() { ! "$@"; }

# wait_for SECONDS command...: polls every 100 ms until the command succeeds.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# wait_or_show_processes SECONDS PID: waits for the background job PID and succeeds with its
# status; after SECONDS it prints the process tree (what hangs?) and kills it.
wait_or_show_processes() {
    local deadline=$((SECONDS + $1)) pid=$2
    while kill -0 "$pid" 2> /dev/null; do
        if ((SECONDS >= deadline)); then
            info "still running after $1 s:"
            ps -ef --forest | sed "s/^/GS-OUT $GS_AREA: /"
            kill "$pid"
            return 1
        fi
        sleep 0.5
    done
    wait "$pid"
}

scx_state() { cat $SCX/state; }
# For wait_for: "wait_for 30 [ "$(scx_state)" = disabled ]" would read the state once, before
# waiting; these read it at every try.
scx_state_is() { [[ $(scx_state) == "$1" ]]; }
scx_ops() { cat $SCX/root/ops 2> /dev/null; }
is_enabled_with() { [[ $(scx_state) == enabled && $(scx_ops) == "$1" ]]; }
unit_state() { systemctl show -P ActiveState "$@"; }
is_unit_state() { [[ $(unit_state "$1") == "$2" ]]; }
core_pid() { systemctl show -P MainPID gamesched.service; }
# ms_since START: milliseconds since START (an $EPOCHREALTIME; the image has no bc).
ms_since() { local now=${EPOCHREALTIME/[.,]/} then=${1/[.,]/}; echo $(((now - then) / 1000)); }

# The journal's stable MESSAGE_IDs (docs/journal.md; util/message_ids.h). The test holds its own
# copy on purpose: they are a documented interface, and a changed ID must fail here.
MSG_ATTACHED=6c1d2f4e8a7b4e0f9d35c1a2b7e8f901
MSG_REATTACHED=38c491efc8674bf2ae5e7a572cfe961f
MSG_EJECTED=0b9e7c52d4a94f1d8e6a3c5b2f1d7e44
MSG_STOPPED_BY_USER=8f623a856d504a1fb76e441c4a9ad129
MSG_GAME_REGISTERED=803dfdb0d3984235b2ccc0ca9e3ed0d2
MSG_CONFIG_APPLIED=95ab4c2c225b4e5a83d0fb7116e759b9
# journal_cursor: the time now, for journal_has (a time, not a journal cursor: --after-cursor with
# a cursor of the last entry found nothing in the guest, the entries being there).
journal_cursor() { date '+%Y-%m-%d %H:%M:%S'; }
# journal_has SINCE MATCH... -- FIELD=VALUE...: this boot has an entry since SINCE (all when
# empty) that matches (journalctl matches such as MESSAGE_ID=…) and carries every FIELD=VALUE;
# VALUE '.+' means "present, not empty". journalctl itself matches the exact values.
journal_has() {
    local cursor=$1; shift
    local matches=() present=() field out
    while (($#)) && [[ $1 != -- ]]; do matches+=("$1"); shift; done
    (($#)) && shift
    for field; do
        if [[ ${field#*=} == .+ ]]; then present+=("${field%%=*}"); else matches+=("$field"); fi
    done
    out=$(journalctl -b -q -o verbose ${cursor:+--since="$cursor"} "${matches[@]}") && [[ -n $out ]] || return 1
    for field in "${present[@]}"; do grep -Eq "^ *$field=.+" <<<"$out" || return 1; done
}
# Runs a command as the desktop user (uid 1000), outside its session's processes; logind still
# counts the user as the person at seat0 while the autologin session is active.
as_user() { runuser -u $USER_NAME -- "$@"; }
# Runs a command as uid 1000 inside its logind session on seat0 (the autologin), as if typed at
# its terminal: polkit's "active session" verdicts follow the caller's session, which logind reads
# from the process's cgroup. setpriv, not runuser: no PAM, so no session of the command's own.
in_user_session() {
    local session scope
    session=$(loginctl show-user $USER_NAME -P Display) && [[ -n $session ]] || return 1
    scope=$(systemctl show -P ControlGroup "session-$session.scope") && [[ -n $scope ]] || return 1
    sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "/sys/fs/cgroup$scope" \
        setpriv --reuid=$USER_UID --regid="$(id -g $USER_NAME)" --init-groups "$@"
}
# start_process_as USER: starts `sleep 600` as USER and prints its pid. (`runuser -u USER -- sleep
# 600 &` would give the pid of runuser, which stays root while its child runs as USER.)
start_process_as() {
    local dir  # not a file in /tmp: fs.protected_regular keeps USER from writing root's file there
    dir=$(mktemp -d) && chmod 777 "$dir"
    runuser -u "$1" -- sh -c "echo \$\$ > $dir/pid; exec sleep 600" > /dev/null 2>&1 &
    wait_for 30 test -s "$dir/pid" && cat "$dir/pid"
    rm -rf "$dir"
}
start_user_process() { start_process_as $USER_NAME; }
# Runs a command as uid 1000 with the environment of its session (runtime directory, session
# bus): for tools that talk to the user's manager and know no -M (systemd 252's systemd-analyze).
as_user_with_bus() {
    runuser -u $USER_NAME -- env XDG_RUNTIME_DIR=/run/user/$USER_UID \
        DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$USER_UID/bus "$@"
}
# Runs systemctl/systemd-run/... inside the user's own service manager.
user_ctl() { systemctl --user -M $USER_NAME@ "$@"; }

# Whether the kernel's game map holds TGID (the core reads it back from the map for status).
game_in_kernel() {
    gameschedctl status 2> /dev/null | tr -d ' \n' | grep -q "\"games_in_kernel\":\[[0-9,]*\b$1\b"
}

# The desktop user's real login: autologin on tty1 (a logind session of type tty on seat0, which
# starts user@1000.service and its units). Started on demand so that the boot itself is checked
# without a session.
session_active() { [[ $(loginctl show-user $USER_NAME -P State 2> /dev/null) == active ]]; }
user_manager_up() { [[ $(user_ctl is-system-running 2> /dev/null) =~ ^(running|degraded)$ ]]; }
start_user_session() {
    session_active && return 0
    systemctl start getty@tty1.service
    wait_for 90 session_active && wait_for 90 user_manager_up
}
