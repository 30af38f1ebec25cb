#!/bin/sh
# gamesched-detect as the desktop user with the core: a game started the way Steam starts one
# and a Wine .exe enter the kernel's game map after exec and leave it after exit; a compiler
# never does; a detector killed with SIGKILL and restarted re-learns running games from /proc.
. /gamesched/lib.sh
start_core
check "core attached" wait_for 20 is_enabled_with gamesched
# as_user's pid is su's; the detector is its grandchild, so it is found by name. A launch before
# the detector subscribed would be missed by design (a game that already exited is not in
# /proc), so each start waits for its "connected" line.
detector_pid() { pidof gamesched-detect; }
connected_lines() { grep -c 'connected to gamesched-core' /tmp/detect.log 2>/dev/null || true; }
start_detect() {
    local before; before=$(connected_lines)
    as_user "gamesched-detect --no-gamemode --rules-dir /usr/share/gamesched/rules.d --verbose" >> /tmp/detect.log 2>&1 &
    wait_for 120 sh -c "[ \$(grep -c 'connected to gamesched-core' /tmp/detect.log) -gt ${before:-0} ]"
}
start_detect
DETECT_PID=$(detector_pid)
check "detector running as the player and subscribed" sh -c "[ -n '$DETECT_PID' ] && [ \$(stat -c %u /proc/$DETECT_PID) = 1000 ]"

mkdir -p /tmp/steam /tmp/wine /tmp/cc
cp /gamesched/idle-proc /tmp/steam/MyGame
cp /gamesched/idle-proc /tmp/wine/wine64-preloader
cp /gamesched/idle-proc /tmp/cc/cc1plus
cat > /tmp/steam/reaper <<'SCRIPT'
#!/bin/sh
# Like Steam's reaper: "reaper SteamLaunch AppId=N -- game", the game runs as its child.
export SteamAppId=4242 SteamGameId=4242
"$4" &
wait
SCRIPT
chmod 755 /tmp/steam /tmp/wine /tmp/cc /tmp/steam/reaper

pid_named() { pidof "$1" | awk '{print $1}'; }

info "Steam-style launch"
as_user "IDLE_SECONDS=5 /tmp/steam/reaper SteamLaunch AppId=4242 -- /tmp/steam/MyGame" &
wait_for 5 pid_named MyGame > /dev/null; steam_pid=$(pid_named MyGame)
t0=$(uptime_ms)
check "the Steam game (pid $steam_pid) enters the kernel's game map" wait_for 5 game_in_kernel "$steam_pid"
info "observed in the map $(( $(uptime_ms) - t0 )) ms after we first saw its pid (polling)"
wait_for 10 sh -c "! kill -0 $steam_pid 2>/dev/null"; t1=$(uptime_ms)
check "it leaves the map after exit" wait_for 5 not game_in_kernel $steam_pid
info "gone from the map $(( $(uptime_ms) - t1 )) ms after its exit was seen (polling)"

info "Wine-style launch"
as_user "IDLE_SECONDS=5 WINEPREFIX=/home/player/.wine /tmp/wine/wine64-preloader 'Z:\\games\\quake\\quake.exe'" &
wait_for 5 pid_named wine64-preloader > /dev/null; wine_pid=$(pid_named wine64-preloader)
check "the Wine .exe (pid $wine_pid) enters the kernel's game map" wait_for 5 game_in_kernel "$wine_pid"
wait_for 10 sh -c "! kill -0 $wine_pid 2>/dev/null"
check "it leaves the map after exit" wait_for 5 not game_in_kernel $wine_pid

info "a compiler run"
as_user "IDLE_SECONDS=4 /tmp/cc/cc1plus -O2 main.cpp -o main.o" &
wait_for 5 pid_named cc1plus > /dev/null; cc_pid=$(pid_named cc1plus)
seen_cc=0
for i in 1 2 3 4 5 6; do game_in_kernel "$cc_pid" && seen_cc=1; usleep 500000; done
check "the compiler (pid $cc_pid) is never reported" [ $seen_cc = 0 ]

info "SIGKILL and restart of the detector"
as_user "IDLE_SECONDS=40 /tmp/steam/reaper SteamLaunch AppId=4242 -- /tmp/steam/MyGame" &
wait_for 5 pid_named MyGame > /dev/null; long_pid=$(pid_named MyGame)
check "a long-running game is in the map" wait_for 5 game_in_kernel "$long_pid"
kill -9 $DETECT_PID
check "the detector is gone after SIGKILL" wait_for 10 not kill -0 $DETECT_PID
start_detect
DETECT_PID=$(detector_pid)
check "exactly one detector runs after the restart" sh -c "[ -n '$DETECT_PID' ] && [ \$(echo $DETECT_PID | wc -w) = 1 ]"
sleep 14  # past the core's 10 s lease grace: only a re-learned hint keeps it
check "after restart the detector re-learned it from /proc (still in the map after the lease grace)" game_in_kernel "$long_pid"
kill $(pid_named MyGame) 2>/dev/null

grep -E 'game registered|exited' /tmp/core.log | sed 's/^/GS-CORE /'
grep -iE 'game|report|scan' /tmp/detect.log | tail -20 | sed 's/^/GS-DETECT /'
kill $DETECT_PID 2>/dev/null
kill -TERM $CORE_PID; wait $CORE_PID
finish
