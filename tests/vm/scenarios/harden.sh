#!/bin/sh
# Hardening (docs/security.md): a swarm of uinput keyboards stays within the device caps; a core
# out of file descriptors idles instead of spinning and serves again once clients leave; a game
# that execs a set-uid program loses its lease at once, while an ordinary exec keeps it.
. /gamesched/lib.sh
fd_count() { ls /proc/$1/fd | wc -l; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
status_number() { core_status | tr -d ' \n' | grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }
# (sh -c does not see these functions: the waits below call them directly.)
fds_at_most() { [ $(fd_count $CORE_PID) -le $1 ]; }
fds_at_least() { [ $(fd_count $CORE_PID) -ge $1 ]; }
not_game_in_kernel() { ! game_in_kernel $1; }
both_games() { game_in_kernel $1 && game_in_kernel $2; }
not_leased() { ! core_status | tr -d ' \n' | grep -q "\"pid\":$1,\"sender_uid\""; }
euid_is_root() { awk '/^Uid:/{exit !($3 == 0)}' /proc/$1/status; }
control_served() { gameschedctl status > /dev/null 2>&1; }
player_hint_served() { as_user "gameschedctl game $1" > /dev/null 2>&1; }

check "uinput and evdev modules load" load_input_modules
start_core
check "core attached" wait_for 20 is_enabled_with gamesched
sleep 1
fds_before=$(fd_count $CORE_PID)
devices_before=$(status_number input_devices)
info "core before the swarm: $fds_before fds, ${devices_before:-?} allow-listed devices"

# 1. 100 uinput keyboards: the virtual-device cap (8) holds, the core's fds grow by at most that.
rm -f /tmp/swarm.out
uinput-swarm 100 60 > /tmp/swarm.out 2>&1 & swarm=$!
check "100 uinput keyboards created" wait_for 60 grep -q 'ready 100' /tmp/swarm.out
sleep 3
fds_swarm=$(fd_count $CORE_PID)
devices_swarm=$(status_number input_devices)
info "core with 100 uinput keyboards: $fds_swarm fds, $devices_swarm allow-listed devices"
echo "GS-HARDEN devices=100 core_fds_before=$fds_before core_fds_swarm=$fds_swarm allow_list_before=$devices_before allow_list_swarm=$devices_swarm"
check "allow-list grew by at most the virtual cap (8)" [ $((devices_swarm - devices_before)) -le 8 ]
check "allow-list took some of them (the cap is not zero)" [ $((devices_swarm - devices_before)) -ge 1 ]
check "core holds at most 8 more fds" [ $((fds_swarm - fds_before)) -le 8 ]
check "the cap was logged once, not per device" sh -c "[ \$(grep -c 'not used:' /tmp/core.log) -le 2 ]"
kill $swarm; wait $swarm 2>/dev/null
check "devices gone: the core's fds are back" wait_for 20 fds_at_most $fds_before
kill -TERM $CORE_PID; wait $CORE_PID

# 2. The core under RLIMIT_NOFILE=64; clients connect until it runs out of fds, then leave.
(ulimit -n 64; exec gamesched-core > /tmp/core.log 2>&1) & CORE_PID=$!
check "core attached with 64 fds" wait_for 20 is_enabled_with gamesched
info "core idle: $(fd_count $CORE_PID) fds of 64"
sleep 2
b0=$(cpu_ticks $CORE_PID)
sleep 5
b1=$(cpu_ticks $CORE_PID)
baseline=$((b1 - b0))
info "core CPU over 5 s idle (the baseline under TCG): $baseline ticks"
AS_USER=player as_user "conn-hold 150 12" > /tmp/hold.out 2>&1 & holder=$!
check "clients connected" wait_for 10 grep -q opened /tmp/hold.out
wait_for 10 fds_at_least 62
sleep 1
t0=$(cpu_ticks $CORE_PID)
sleep 5
t1=$(cpu_ticks $CORE_PID)
hz=100
info "$(cat /tmp/hold.out); core at $(fd_count $CORE_PID) fds; CPU over 5 s out of fds: $((t1 - t0)) ticks (HZ $hz)"
echo "GS-HARDEN emfile_cpu_ticks_5s=$((t1 - t0)) idle_cpu_ticks_5s=$baseline core_fds=$(fd_count $CORE_PID)"
check "the core really ran out of fds (it says so)" grep -q 'not accepting clients' /tmp/core.log
# A listener left readable at EMFILE is a busy loop: a whole CPU, 500 ticks in 5 s.
check "core idles while out of fds (within 30 ticks of its idle baseline)" [ $((t1 - t0)) -le $((baseline + 30)) ]
check "EMFILE logged at most once per 10 s" sh -c "[ \$(grep -c 'not accepting clients' /tmp/core.log) -le 2 ]"
grep -E 'accept|descriptor' /tmp/core.log | head -5 | sed 's/^/GS-INFO core: /'
wait $holder
check "after the clients left, root is served on control.sock" wait_for 20 control_served
as_user 'echo $$ > /tmp/late.pid; exec sleep 30' &
wait_for 5 [ -s /tmp/late.pid ]
late=$(cat /tmp/late.pid)
check "and a user's hint on hints.sock is served again" wait_for 20 player_hint_served $late
kill $late 2>/dev/null
kill -TERM $CORE_PID; wait $CORE_PID

# 3. Exec: an ordinary exec keeps the lease, a set-uid exec ends it at once.
start_core
check "core attached" wait_for 20 is_enabled_with gamesched
cp /gamesched/idle-proc /tmp/suid-idle && chown 0:0 /tmp/suid-idle && chmod 4755 /tmp/suid-idle
mkfifo /tmp/go-plain /tmp/go-suid && chmod 666 /tmp/go-plain /tmp/go-suid
rm -f /tmp/plain.pid /tmp/suid.pid
as_user 'echo $$ > /tmp/plain.pid; read x < /tmp/go-plain; IDLE_SECONDS=30 exec /gamesched/idle-proc' &
as_user 'echo $$ > /tmp/suid.pid; read x < /tmp/go-suid; IDLE_SECONDS=30 exec /tmp/suid-idle' &
wait_for 5 [ -s /tmp/plain.pid ]
wait_for 5 [ -s /tmp/suid.pid ]
plain=$(cat /tmp/plain.pid) suid=$(cat /tmp/suid.pid)
as_user "gameschedctl game $plain plain --hold" > /dev/null 2>&1 & h1=$!
as_user "gameschedctl game $suid suid --hold" > /dev/null 2>&1 & h2=$!
check "both processes are games in the kernel" wait_for 5 both_games $plain $suid
echo go > /tmp/go-plain
echo go > /tmp/go-suid
check "the set-uid exec really raised the euid" wait_for 5 euid_is_root $suid
check "set-uid exec: pid gone from the kernel's game map" wait_for 5 not_game_in_kernel $suid
check "set-uid exec: the lease ended, saying why" wait_for 5 grep -q "lease on pid $suid .*set-uid" /tmp/core.log
check "set-uid exec: not among the core's leases any more" not_leased $suid
check "ordinary exec: still a game" game_in_kernel $plain
kill $h1 $h2 2>/dev/null
kill $plain $suid 2>/dev/null
kill -TERM $CORE_PID; wait $CORE_PID
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
dump_core_log | tail -30
finish
