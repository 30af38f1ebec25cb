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
scx_ops() { cat $SCX/root/ops 2> /dev/null; }
is_enabled_with() { [[ $(scx_state) == enabled && $(scx_ops) == "$1" ]]; }
unit_state() { systemctl show -P ActiveState "$@"; }
is_unit_state() { [[ $(unit_state "$1") == "$2" ]]; }

# Runs a command as the desktop user, outside the session (no session bus).
as_user() { runuser -u $USER_NAME -- "$@"; }
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
