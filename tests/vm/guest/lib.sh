# Shared by the guest scenarios. Each check prints one GS-CHECK line the host runner parses.
export PATH=/bin:/sbin:/gamesched
SCX=/sys/kernel/sched_ext
. /gamesched/report.sh
# not command...: succeeds when the command fails. Use it instead of sh -c "! fn": a shell
# function is unknown inside sh -c, so the negation would pass whatever the state.
not() { ! "$@"; }

uptime_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }

scx_state() { cat $SCX/state; }
scx_ops() { cat $SCX/root/ops 2>/dev/null; }
show_scx() { info "sched_ext state=$(scx_state) root/ops=$(scx_ops) switch_all=$(cat $SCX/switch_all) nr_rejected=$(cat $SCX/nr_rejected)"; }

# wait_for SECONDS command...: polls every 50 ms until the command succeeds.
wait_for() {
    local limit=$(( $1 * 20 )); shift
    local i=0
    while [ $i -lt $limit ]; do
        "$@" && return 0
        usleep 50000
        i=$((i + 1))
    done
    return 1
}

is_enabled_with() { [ "$(scx_state)" = enabled ] && [ "$(scx_ops)" = "$1" ]; }
is_disabled() { [ "$(scx_state)" = disabled ]; }

# A running process is on sched_ext when its /proc/PID/sched says ext.enabled is 1.
on_ext_class() { grep -qE '^ext\.enabled +: +1' /proc/$1/sched 2>/dev/null; }

# Start the core in the background; its output goes to /tmp/core.log. Sets CORE_PID.
start_core() {
    gamesched-core "$@" > /tmp/core.log 2>&1 &
    CORE_PID=$!
}

# The capabilities gamesched.service leaves the core (its CapabilityBoundingSet=), as setpriv
# spells them: "+bpf,+perfmon".
shipped_caps() {
    sed -n 's/^CapabilityBoundingSet=//p' /gamesched/gamesched.service | tr ' ' '\n' | tr A-Z a-z |
        sed -n 's/^cap_/+/p' | tr '\n' ',' | sed 's/,$//'
}

# start_core as the shipped units start it: its sockets passed by socket activation with the
# modes and group gamesched.socket sets, and only the capabilities of its bounding set (nothing
# inheritable or ambient, so permitted = effective = the bounding set). util-linux's setpriv:
# busybox's has no --bounding-set.
start_core_as_shipped() {
    mkdir -p /run/gamesched
    rm -f /run/gamesched/hints.sock /run/gamesched/control.sock
    /gamesched/setpriv --bounding-set=-all,$(shipped_caps) --inh-caps=-all --ambient-caps=-all \
        systemd-socket-activate --seqpacket -l /run/gamesched/hints.sock -l /run/gamesched/control.sock \
        --fdname=hints:control gamesched-core "$@" > /tmp/core.log 2>&1 &
    CORE_PID=$!
    wait_for 5 [ -S /run/gamesched/control.sock ]
    chmod 0666 /run/gamesched/hints.sock
    chgrp gamesched /run/gamesched/control.sock && chmod 0660 /run/gamesched/control.sock
    # systemd-socket-activate starts the core on the first connection.
    gameschedctl status > /dev/null 2>&1 &
}

dump_core_log() { sed 's/^/GS-CORE /' /tmp/core.log; }

# Kernel log lines from sched_ext, shown and checked for errors.
scx_kernel_errors() { dmesg | grep -i 'sched_ext' | grep -iE 'error|stall|fail' ; }

finish() {
    [ $GS_FAILED = 0 ] && echo "GS-RESULT PASS" || echo "GS-RESULT FAIL"
    exit $GS_FAILED
}

# A mixed load for SECONDS: CPU hogs (one niced), a fork/exec loop and a sleeper that wakes often.
# Succeeds when every part finished on its own. The bound (10x + 30 s) only catches a stall: a
# TCG guest on a loaded host runs several times slower, and speed is the benchmark's business.
mixed_workload() {
    local secs=$1 pids="" i
    for i in 1 2 3; do
        ( end=$(( $(uptime_ms) + secs * 1000 )); while [ $(uptime_ms) -lt $end ]; do :; done ) &
        pids="$pids $!"
    done
    ( end=$(( $(uptime_ms) + secs * 1000 )); while [ $(uptime_ms) -lt $end ]; do :; done ) &
    renice -n 19 -p $! > /dev/null; pids="$pids $!"
    ( i=0; while [ $i -lt 150 ]; do /bin/true; i=$((i + 1)); done ) &
    pids="$pids $!"
    ( i=0; while [ $i -lt 100 ]; do usleep 5000; i=$((i + 1)); done ) &
    pids="$pids $!"
    local deadline=$(( $(uptime_ms) + secs * 10000 + 30000 ))
    for i in $pids; do
        while kill -0 $i 2>/dev/null; do
            if [ $(uptime_ms) -gt $deadline ]; then kill $pids 2>/dev/null; return 1; fi
            usleep 100000
        done
        wait $i 2>/dev/null
    done
    return 0
}

# Sum of a counter over every --stats line the core printed so far.
counter_sum() {
    grep -o "\"$1\":[0-9]*" /tmp/core.log | awk -F: '{s += $2} END {print s + 0}'
}

load_input_modules() {
    insmod /lib/modules/evdev.ko 2>/dev/null
    insmod /lib/modules/uinput.ko 2>/dev/null
    [ -c /dev/uinput ]
}

# Runs a command as an unprivileged user (uid 1000 "player" unless AS_USER is set).
as_user() { su -s /bin/sh "${AS_USER:-player}" -c "$*"; }

core_status() { gameschedctl status 2>&1; }
# Whether the kernel's game map holds TGID (the core reads it back from the map).
game_in_kernel() { core_status | tr -d ' \n' | grep -q "\"games_in_kernel\":\[[0-9,]*\b$1\b"; }
rss_kb() { awk '/^VmRSS/{print $2}' /proc/$1/status; }

# /dev/input node of the input device whose name is $1.
input_node_named() {
    local d
    for d in /sys/class/input/event*; do
        [ "$(cat $d/device/name 2>/dev/null)" = "$1" ] && { echo /dev/input/${d##*/}; return 0; }
    done
    return 1
}

# Value of a numeric JSON key in the last line of a file that has it ("key":number).
json_number() { grep -o "\"$2\":[0-9.e+-]*" "$1" | tail -1 | cut -d: -f2; }
