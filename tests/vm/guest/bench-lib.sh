# The bench's guest helpers (sourced by scenarios/bench.sh after lib.sh): how a game is started
# for each arm of the comparison, how its registration is confirmed, the background loads, and
# the records the host collects ("GS-BENCH {json}" lines).
#
# Arms: eevdf (no sched_ext scheduler), fifo (the baseline), gs-unknown (gamesched; the game is
# started like any program, so nothing tells the scheduler it is a game) and gs-game (gamesched
# as deployed: gamesched-detect runs as the desktop user and recognises the game as a Steam
# launch, and the focus is hinted the way gamesched-kwin hints it). The game always runs as the
# desktop user, so only the launch differs between arms.

BENCH=gamesched-bench
W=/tmp/bench
GAME_EXE=/tmp/games/BenchGame
STEAM_APP_ID=4242

# emit ROUND POSITION ARM SCENARIO FILE: one result line, the file's JSON object under "result".
emit() {
    if head -c1 "$5" 2>/dev/null | grep -q '{'; then
        echo "GS-BENCH {\"round\":$1,\"position\":$2,\"scheduler\":\"$3\",\"scenario\":\"$4\",\"result\":$(cat "$5")}"
    else
        fail "$3 round $1 $4: the workload printed no result"
    fi
}

plus() { awk "BEGIN { print $1 + $2 }"; }

bench_setup_launchers() {
    mkdir -p $W /tmp/games /tmp/steam
    chmod 1777 $W
    ln -sf /gamesched/gamesched-bench $GAME_EXE
    # Like Steam's reaper: "reaper SteamLaunch AppId=N -- game ARGS", the game runs as its child
    # with the Steam environment.
    cat > /tmp/steam/reaper <<SCRIPT
#!/bin/sh
export SteamAppId=$STEAM_APP_ID SteamGameId=$STEAM_APP_ID SteamOverlayGameId=$STEAM_APP_ID
while [ \$# -gt 0 ] && [ "\$1" != -- ]; do shift; done
shift
"\$@" &
wait \$!
SCRIPT
    chmod 755 /tmp/steam /tmp/games /tmp/steam/reaper
}

# --- gamesched as deployed: the detector as the desktop user ---------------------------------
start_detect() {
    as_user "exec gamesched-detect --no-gamemode --rules-dir /usr/share/gamesched/rules.d" \
        >> $W/detect.log 2>&1 &
    DETECT_PID=$!
}

stop_detect() {
    kill $DETECT_PID $(pidof gamesched-detect) 2>/dev/null
    wait $DETECT_PID 2>/dev/null
}

# counters_total of the core's status, one "name value" per line.
core_counters() {
    core_status | tr -d ' \n' | sed -n 's/.*"counters_total":{\([^}]*\)}.*/\1/p' | tr ',' '\n' | tr -d '"' | tr ':' ' '
}
counter() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
focus_in_kernel() { core_status | tr -d ' \n' | grep -q "\"focus_in_kernel\":$1[,}]"; }

# --- the game --------------------------------------------------------------------------------
# start_game ARM OUT ARGS...: starts `gamesched-bench game --start-on-signal ARGS` as the desktop
# user, launched the way the arm wants; waits until the process announced itself. Sets GAME_PID
# (empty if it never did), GAME_SEEN_MS (guest uptime then) and GAME_LAUNCHER. The first frame
# comes 50 ms after `kill -USR1 $GAME_PID`.
start_game() {
    local arm=$1 out=$2
    shift 2
    local cmd="$GAME_EXE game --start-on-signal $*"
    [ "$arm" = gs-game ] && cmd="/tmp/steam/reaper SteamLaunch AppId=$STEAM_APP_ID -- $cmd"
    rm -f "$out" "$out.err"
    as_user "cd $W && $cmd > $out 2> $out.err" &
    GAME_LAUNCHER=$!
    GAME_PID=""
    wait_for 60 grep -qs '"waiting"' "$out.err" || return 1
    GAME_SEEN_MS=$(uptime_ms)
    GAME_PID=$(json_number "$out.err" pid)
}

# Before the game's first frame, in a gamesched arm: for gs-game, waits until the detector has
# registered the game (it is in the kernel's game map) and hints the focus as gamesched-kwin
# would; for gs-unknown, checks that nothing registered it. Sets REG_MS (announced → in the map,
# -1 if never), FOCUS_OK, FOCUS_HOLDER; reads the counters into $W/counters-before.
prepare_registration() { # ARM
    REG_MS=-1 FOCUS_OK=false FOCUS_HOLDER=""
    if [ "$1" = gs-game ]; then
        wait_for 30 game_in_kernel "$GAME_PID" && REG_MS=$(( $(uptime_ms) - GAME_SEEN_MS ))
        as_user "exec gameschedctl focus $GAME_PID --hold" > /dev/null 2>&1 &
        FOCUS_HOLDER=$!
        wait_for 30 focus_in_kernel "$GAME_PID" && FOCUS_OK=true
    else
        usleep 500000  # what the detector needs to decide when it does
        game_in_kernel "$GAME_PID" && REG_MS=$(( $(uptime_ms) - GAME_SEEN_MS ))
    fi
    core_counters > $W/counters-before
}

# After the game ended: the registration record. gs-game is confirmed when the game was in the
# map and focused before its first frame and the scheduler treated its threads as a game's
# (game_enqueue and boosted moved); gs-unknown when none of that happened.
registration_record() { # ARM OUT
    core_counters > $W/counters-after
    [ -n "$FOCUS_HOLDER" ] && kill $FOCUS_HOLDER 2>/dev/null
    local ge0 ge1 b0 b1 confirmed
    ge0=$(counter game_enqueue $W/counters-before) ge1=$(counter game_enqueue $W/counters-after)
    b0=$(counter boosted $W/counters-before) b1=$(counter boosted $W/counters-after)
    local game_enq=$(( ${ge1:-0} - ${ge0:-0} )) boosted=$(( ${b1:-0} - ${b0:-0} ))
    if [ "$1" = gs-game ]; then
        confirmed=false
        [ "$REG_MS" -ge 0 ] && [ $FOCUS_OK = true ] && [ $game_enq -gt 0 ] && [ $boosted -gt 0 ] && confirmed=true
    else
        confirmed=true
        [ "$REG_MS" -ge 0 ] || [ $game_enq -gt 0 ] && confirmed=false
    fi
    echo "{\"arm\":\"$1\",\"pid\":$GAME_PID,\"registered_after_ms\":$REG_MS,\"focus_hinted\":$FOCUS_OK,\"game_enqueue\":$game_enq,\"boosted\":$boosted,\"confirmed\":$confirmed}" > "$2"
    [ $confirmed = true ]
}

# --- input: a uinput mouse, as hardware would deliver it -------------------------------------
# One device for the whole boot (the core classifies devices when it starts); it moves only
# while a game runs. Sets INPUT_NODE.
start_input_device() { # HZ
    load_input_modules || return 1
    $BENCH input-device --hz "$1" > $W/input-device.json &
    INPUT_DEVICE_PID=$!
    wait_for 20 grep -q devnode $W/input-device.json || return 1
    INPUT_NODE=$(sed -n 's/.*"devnode":"\([^"]*\)".*/\1/p' $W/input-device.json)
}

# --- the background --------------------------------------------------------------------------
# start_background KIND SECONDS HOGS: none; build (HOGS hogs and a
# fork/exec loop: "a kernel build"); spin (one spinner per vCPU, `stress-ng --cpu N`). Sets
# BG_PIDS; results in $W/hog.json and $W/fork.json.
start_background() {
    BG_PIDS=""
    rm -f $W/hog.json $W/fork.json
    case $1 in
        build)
            $BENCH hog --duration "$2" --threads "$3" > $W/hog.json &
            BG_PIDS="$!"
            if [ "$forkexec" = 1 ]; then
                $BENCH forkexec --duration "$2" > $W/fork.json &
                BG_PIDS="$BG_PIDS $!"
            fi
            ;;
        spin)
            $BENCH hog --duration "$2" --threads "$ncpu" > $W/hog.json &
            BG_PIDS="$!"
            ;;
    esac
}

# The machine-wide CPU time counters (USER_HZ ticks: user nice system idle iowait irq softirq
# steal), for the CPU budget of a scenario: what the parts did not use was idle or went to
# everything else (kernel, BPF, helpers).
cpu_ticks() { awk '/^cpu /{ print $2","$3","$4","$5","$6","$7","$8","$9; exit }' /proc/stat; }
context_switches() { awk '/^ctxt /{ print $2; exit }' /proc/stat; }

# Waits (up to SECONDS) until the CPUs are at least 97 % idle over a quarter second: the kernel
# keeps busy for a few seconds after boot, and a calibration taken then is wrong.
wait_until_quiet() { # SECONDS
    local tries=$(( $1 * 4 )) a b
    while [ $tries -gt 0 ]; do
        a=$(cpu_ticks)
        usleep 250000
        b=$(cpu_ticks)
        echo "$a $b" | awk -F'[ ,]' '{ t = 0; for (i = 1; i <= 8; i++) t += $(i + 8) - $i;
            idle = $12 - $4 + $13 - $5; exit !(t > 0 && idle / t >= 0.97) }' && return 0
        tries=$((tries - 1))
    done
    return 1
}

# start_bpf_stats ARM BPFSTATS_ARGS...: in a sched_ext arm (and unless gs_bench_bpf=0), samples
# every BPF program's run time from now until stop_bpf_stats (--until-signal: returns once the
# first sample is taken, so the window holds the work that follows). Sets STATS_PID.
start_bpf_stats() {
    STATS_PID="" STATS_ON_SIGNAL=false
    [ "$1" = eevdf ] || [ "${gs_bench_bpf:-1}" != 1 ] && return 0
    shift
    rm -f $W/bpf.json $W/bpf.err
    $BENCH bpfstats --all "$@" > $W/bpf.json 2> $W/bpf.err &
    STATS_PID=$!
    case " $* " in
        *" --until-signal "*)
            STATS_ON_SIGNAL=true
            local i=0
            while ! grep -qs ready $W/bpf.err && [ $i -lt 2000 ]; do usleep 5000; i=$((i + 1)); done ;;
    esac
}

# stop_bpf_stats ROUND POS ARM NAME: ends an --until-signal window (a timed one ends by itself:
# SIGUSR1 would kill it) and emits NAME-bpf.
stop_bpf_stats() {
    [ -n "$STATS_PID" ] || return 0
    [ $STATS_ON_SIGNAL = true ] && kill -USR1 $STATS_PID 2>/dev/null
    wait $STATS_PID
    emit "$1" "$2" "$3" "$4-bpf" $W/bpf.json
}

# run_game ROUND POS ARM NAME BACKGROUND DURATION WARMUP GAME_ARGS...: one game scenario, its
# background, and their records (NAME, NAME-hog, NAME-forkexec, NAME-cpu, NAME-bpf,
# NAME-registration). The game process exists (and, for gs-game, is registered) before the
# background starts; its first frame comes right after. With a background, a sched_ext arm
# also samples the BPF programs' run time over the game's run (BPF_ENABLE_STATS).
run_game() {
    local r=$1 p=$2 arm=$3 name=$4 bg=$5 dur=$6 warm=$7 began=$(uptime_ms)
    shift 7
    if ! start_game "$arm" $W/game.json --duration "$dur" --warmup "$warm" "$@"; then
        fail "$arm round $r $name: the game started"
        sed 's/^/GS-GAME /' $W/game.json.err
        return
    fi
    case $arm in gs-*) prepare_registration "$arm" ;; esac
    local t0=$(uptime_ms) ticks0=$(cpu_ticks) ctxt0=$(context_switches)
    start_background "$bg" "$(plus "$dur" 0.3)" "$(background_hogs "$name")"
    [ -n "$INPUT_DEVICE_PID" ] && kill -USR1 $INPUT_DEVICE_PID
    kill -USR1 "$GAME_PID"
    STATS_PID=""
    [ "$bg" != none ] && start_bpf_stats "$arm" --duration "$dur"
    wait $GAME_LAUNCHER
    if [ -n "$INPUT_DEVICE_PID" ]; then
        kill -USR2 $INPUT_DEVICE_PID
        check "$arm round $r $name: the input device still runs" kill -0 $INPUT_DEVICE_PID
    fi
    for pid in $BG_PIDS $STATS_PID; do wait $pid; done
    local ticks1=$(cpu_ticks) t1=$(uptime_ms) ctxt1=$(context_switches)
    emit "$r" "$p" "$arm" "$name" $W/game.json
    if [ "$bg" != none ]; then
        emit "$r" "$p" "$arm" "$name-hog" $W/hog.json
        [ "$bg" = build ] && [ "$forkexec" = 1 ] && emit "$r" "$p" "$arm" "$name-forkexec" $W/fork.json
        echo "{\"bench\":\"cpu\",\"user_hz\":100,\"cpus\":$ncpu,\"wall_ms\":$((t1 - t0)),\"ctxt_before\":$ctxt0,\"ctxt_after\":$ctxt1,\"before\":[$ticks0],\"after\":[$ticks1]}" > $W/cpu.json
        emit "$r" "$p" "$arm" "$name-cpu" $W/cpu.json
        [ -n "$STATS_PID" ] && emit "$r" "$p" "$arm" "$name-bpf" $W/bpf.json
    fi
    case $arm in
        gs-*)
            registration_record "$arm" $W/reg.json
            check "$arm round $r $name: $(case $arm in gs-game) echo "registered by the detector and focused" ;; *) echo "never registered" ;; esac)" \
                grep -q '"confirmed":true' $W/reg.json
            emit "$r" "$p" "$arm" "$name-registration" $W/reg.json
            ;;
    esac
    info "$arm round $r $name: $(( $(uptime_ms) - began )) ms of guest time, $((t1 - t0)) ms measured with the background"
}
