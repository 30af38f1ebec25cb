#!/bin/sh
# Hints over hints.sock from an unprivileged user: own process accepted and visible in the
# kernel's game map, another user's process refused, lease ends with the process, and a flood
# from one user leaves another user's hints answered with the core's memory bounded.
. /gamesched/lib.sh
# The core runs with the capabilities gamesched.service leaves it, not as full root: the
# ownership checks must work without CAP_KILL and CAP_SYS_PTRACE.
start_core_as_shipped
check "core attached with only the shipped capabilities ($(shipped_caps))" wait_for 20 is_enabled_with gamesched
is_enabled_with gamesched || { dump_core_log; finish; }
cap_field() { awk -v f="$1:" '$1 == f {print $2}' /proc/$CORE_PID/status; }
info "core capabilities: CapEff=$(cap_field CapEff) CapBnd=$(cap_field CapBnd)"
check "the core's effective set is its bounding set" [ "$(cap_field CapEff)" = "$(cap_field CapBnd)" ]
check "the core has neither CAP_KILL nor CAP_SYS_PTRACE" [ $(( 0x$(cap_field CapEff) & ((1 << 5) | (1 << 19)) )) = 0 ]
check "hints.sock exists with mode 0666" sh -c "ls -l /run/gamesched/hints.sock | grep -q '^srw-rw-rw-'"
check "control.sock exists and is not world-accessible" sh -c "ls -l /run/gamesched/control.sock | grep -q '^srw-rw----'"

as_user 'echo $$ > /tmp/player.pid; exec sleep 1000' &
wait_for 5 [ -s /tmp/player.pid ]
game_pid=$(cat /tmp/player.pid)
info "player's process: pid $game_pid"
check "the player could start a process" [ -n "$game_pid" ]
as_user "gameschedctl game $game_pid mygame --hold" > /tmp/hint.out 2>&1 & holder=$!
check "player's hint about its own process is accepted" wait_for 5 game_in_kernel $game_pid
core_status | tr -d '\n' | grep -o '"games_in_kernel":[^]]*]' | sed 's/^/GS-INFO kernel map: /'

as_user "gameschedctl game 1 init" > /tmp/refused.out 2>&1
rc=$?
info "hint about root's pid 1 from player: rc=$rc: $(cat /tmp/refused.out | tr '\n' ' ')"
check "player's hint about root's process is refused" [ $rc != 0 ]
check "the refusal says it is not theirs (and no more)" grep -q 'pid 1 is not one of your processes' /tmp/refused.out
check "pid 1 is not in the kernel's game map" not game_in_kernel 1

as_user 'gameschedctl status' > /tmp/ctl.out 2>&1
info "player on control.sock: $(tr '\n' ' ' < /tmp/ctl.out)"
# Focus hints (what gamesched-kwin sends): own process → the kernel's focus map; others refused.
focus_in_kernel() { core_status | tr -d ' \n' | grep -q "\"focus_in_kernel\":$1[,}]"; }
as_user "gameschedctl focus $game_pid --hold" > /dev/null 2>&1 & focus_holder=$!
check "player's focus hint for its own process reaches the kernel's focus map" wait_for 5 focus_in_kernel $game_pid
as_user "gameschedctl focus 1" > /tmp/focus-refused.out 2>&1
check "player's focus hint for root's pid 1 is refused, saying it is not theirs" grep -q 'pid 1 is not one of your processes' /tmp/focus-refused.out
check "the focus map still names the player's process" focus_in_kernel $game_pid
kill $focus_holder 2>/dev/null

check "player cannot use control.sock" grep -q 'gameschedctl: connecting to /run/gamesched/control.sock' /tmp/ctl.out

kill $game_pid
check "the lease ends when the process exits (map entry gone)" wait_for 5 not game_in_kernel $game_pid
kill $holder 2>/dev/null

# Flood: uid 1001 hammers hints.sock for 10 s and at least 150 records; uid 1000 keeps sending one hint every 200 ms.
echo 'flooder:x:1001:1001::/tmp:/bin/sh' >> /etc/passwd
rss_before=$(rss_kb $CORE_PID)
AS_USER=flooder as_user "hint-flood 10 150" > /tmp/flood.out 2>&1 & flooder=$!
rm -f /tmp/player.pid
as_user 'echo $$ > /tmp/player.pid; exec sleep 1000' &
wait_for 5 [ -s /tmp/player.pid ]
victim_pid=$(cat /tmp/player.pid)
answered=0 tries=0
while kill -0 $flooder 2>/dev/null; do
    tries=$((tries + 1))
    as_user "gameschedctl game $victim_pid" > /dev/null 2>&1 && answered=$((answered + 1))
    usleep 200000
done
wait $flooder
rss_after=$(rss_kb $CORE_PID)
info "flood from uid 1001: $(cat /tmp/flood.out)"
info "uid 1000 during the flood: $answered of $tries hints answered ok"
info "core RSS: ${rss_before} kB before, ${rss_after} kB after the flood"
echo "GS-FLOOD flood=$(cat /tmp/flood.out) other_user_ok=$answered/$tries rss_before_kb=$rss_before rss_after_kb=$rss_after"
check "the other user's hints were all answered during the flood" sh -c "[ $answered = $tries ] && [ $tries -gt 5 ]"
check "the flood really ran (over 100 hints sent)" sh -c "grep -o '\"sent\":[0-9]*' /tmp/flood.out | awk -F: '{exit !(\$2 > 100)}'"
check "core RSS stayed bounded (grew < 8 MiB)" [ $((rss_after - rss_before)) -lt 8192 ]
check "core still attached after the flood" is_enabled_with gamesched
kill $victim_pid
kill -TERM $CORE_PID; wait $CORE_PID
dump_core_log | tail -20
finish
