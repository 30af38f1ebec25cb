#!/bin/sh
# The desktop around a game: a stand-in compositor that must composite every frame after the
# game finished it (a frame counts as shown only when the compositor ran in time) and a stand-in
# audio server mixing every 5.33 ms, under the benchmark's S1 (its 8.33-ms chain game with the
# uinput mouse, calibrated on a quiet guest, one hog per vCPU and a fork/exec loop), EEVDF and
# gamesched in the order E G G E. Asserted: the mechanism (the user's own compositor named with
# gameschedctl as gamesched-kwin names KWin, the audio server found by gamesched-detect by its
# program name, both in the kernel's desktop map, boosted only while a game has the focus,
# another user's process refused, entries gone with the process). Printed: the shown-frame miss
# ratio and audio misses of each arm, their ratios and the benchmark's calibration rule (EEVDF
# misses 0.15-0.6 of the shown frames, or the run is INVALID). Asserted only with
# gs_desktop_require_valid=1 (the suite sets it, under icount): the calibration, shown-frame
# misses <= 0.5x EEVDF's and an earlier audio-server wake p99 (docs/benchmarks.md).
. /gamesched/lib.sh
. /gamesched/bench-lib.sh

s1_s=${gs_desktop_s1_s:-7}
warmup_s=1
# The benchmark's S1 (tests/vm/scenarios/bench.sh): its period, hogs, fork/exec loop, input
# device and calibration on a quiet guest. The period matters most: the chain's 3-ms fence does not
# scale with it, so at the game's default 16.7 ms a frame has ~11 ms of slack and EEVDF's
# tick-bounded waits behind a hog rarely use it up; a calibration taken while the guest is
# still busy after boot reads up to half the speed and makes every work amount that much
# smaller.
period_us=${gs_desktop_period_us:-8333}
# The foreground uses the CPU share of the benchmark's S1 game: there the game alone takes ~24 %
# of a CPU (stages 18 % of P, audio thread 4.7 %, input 1.5 %); here the compositor (6 %) and
# the audio server (4.7 %) come on top (~35 %), so every work amount is scaled by 24/35. At
# scale 1, EEVDF misses 0.54-0.84 of the shown frames, above the calibration band.
load_scale=${gs_desktop_load_scale:-0.69}
ncpu=$(nproc)
hogs=${gs_desktop_hogs:-$ncpu}
status_counter() { core_status | tr -d ' \n' | grep -o "\"$1\":[0-9]*" | head -1 | cut -d: -f2; }
desktop_in_kernel() { core_status | tr -d ' \n' | grep -q "\"desktop_in_kernel\":\[[0-9,]*\b$1\b"; }

# The stand-ins are programs of their own, like the real ones: the audio server's file is named
# pipewire, which is how gamesched-detect knows an audio server.
mkdir -p /tmp/desk && rm -f /tmp/desk/arms
cp "$(command -v gamesched-bench)" /tmp/desk/pipewire
cp "$(command -v gamesched-bench)" /tmp/desk/gs-compositor
chown 1000:1000 /tmp/desk
chmod 755 /tmp/desk /tmp/desk/pipewire /tmp/desk/gs-compositor
pid_named() { pidof "$1" | awk '{print $1}'; }

mkdir -p $W
check "a uinput mouse for the game's input" start_input_device 500
t0=$(uptime_ms)
quiet=false
wait_until_quiet 60 && quiet=true
info "idle wait before calibrating: quiet $quiet after $(( $(uptime_ms) - t0 )) ms"
gamesched-bench calibrate > /tmp/calibrate.json
LPU=$(json_number /tmp/calibrate.json loops_per_us)
check "calibrated loops per microsecond ($LPU)" [ -n "$LPU" ]
common="--loops-per-us $LPU --load-scale $load_scale"

# One arm: compositor, audio server and game of the player, set up before anything runs: the
# game and the audio server wait for SIGUSR1 (--start-on-signal). Under gamesched the game is
# registered and focused as gamesched-detect and gamesched-kwin would do it, the compositor is
# named with gameschedctl, and the arm waits until the kernel's maps say so (saved in
# /tmp/status-LABEL.json). Then the S1 load starts and the game and audio server get the signal.
waiting_pid() { grep -o '"event":"waiting","pid":[0-9]*' "$1" | head -1 | grep -o '[0-9]*$'; }
arm_ready() { # GAME COMP AUDIO
    game_in_kernel "$1" && focus_in_kernel "$1" && desktop_in_kernel "$2" && desktop_in_kernel "$3"
}
arm() { # LABEL SCHED
    local label=$1 sched=$2 dur comp audio game
    dur=$(plus "$s1_s" "$warmup_s")
    rm -f /tmp/desk/comp.sock
    as_user "/tmp/desk/gs-compositor compositor --socket /tmp/desk/comp.sock $common" > /tmp/comp-$label.json 2>&1 &
    wait_for 30 [ -S /tmp/desk/comp.sock ]
    comp=$(pid_named gs-compositor)
    as_user "/tmp/desk/pipewire audio-server --duration $dur --warmup $warmup_s --start-on-signal $common" > /tmp/audio-$label.json 2>&1 &
    as_user "gamesched-bench game --duration $dur --warmup $warmup_s --period-us $period_us --input $INPUT_NODE --compositor /tmp/desk/comp.sock --start-on-signal $common" > /tmp/game-$label.json 2>&1 &
    wait_for 60 sh -c "grep -q '\"waiting\"' /tmp/game-$label.json && grep -q '\"waiting\"' /tmp/audio-$label.json"
    game=$(waiting_pid /tmp/game-$label.json)
    audio=$(waiting_pid /tmp/audio-$label.json)
    info "$label: game $game, compositor $comp, audio server $audio"
    if [ $sched = gamesched ]; then
        as_user "gameschedctl desktop $comp compositor --hold" > /tmp/comp-hint-$label.out 2>&1 & COMP_HOLDER=$!
        as_user "gameschedctl game $game synthetic --hold" > /tmp/game-hint-$label.out 2>&1 & GAME_HOLDER=$!
        as_user "gameschedctl focus $game --hold" > /tmp/focus-hint-$label.out 2>&1 & FOCUS_HOLDER=$!
        check "$label: game registered and focused, compositor and audio server in the desktop map" \
            wait_for 60 arm_ready "$game" "$comp" "$audio"
        core_status > /tmp/status-$label.json 2>&1
        info "$label: kernel maps $(tr -d ' \n' < /tmp/status-$label.json | grep -o '"\(games\|desktop\)_in_kernel":[^]]*]\|"focus_in_kernel":[0-9]*' | tr '\n' ' ')"
        BOOSTED_BEFORE=$(status_counter desktop_boosted)
    fi
    gamesched-bench hog --duration "$(plus "$dur" 0.3)" --threads $hogs > /tmp/hog-$label.json 2>&1 &
    local hog=$!
    local fork=""
    if [ "${gs_desktop_forkexec:-1}" = 1 ]; then
        gamesched-bench forkexec --duration "$(plus "$dur" 0.3)" > /tmp/fork-$label.json 2>&1 &
        fork=$!
    fi
    kill -USR1 "$INPUT_DEVICE_PID" "$audio" "$game"
    wait_for 120 sh -c "! kill -0 $hog 2>/dev/null && ! kill -0 ${fork:-$hog} 2>/dev/null"
    wait_for 60 grep -q '"bench":"game"' /tmp/game-$label.json
    kill -USR2 "$INPUT_DEVICE_PID"
    wait_for 60 grep -q '"bench":"audio-server"' /tmp/audio-$label.json
    wait_for 30 grep -q '"bench":"compositor"' /tmp/comp-$label.json
    if [ $sched = gamesched ]; then
        BOOSTED_AFTER=$(status_counter desktop_boosted)
        kill $GAME_HOLDER $FOCUS_HOLDER $COMP_HOLDER 2>/dev/null
        info "$label: desktop_boosted $BOOSTED_BEFORE -> $BOOSTED_AFTER while the game had the focus"
        check "$label: desktop processes boosted while the game had the focus" \
            [ "${BOOSTED_AFTER:-0}" -gt "${BOOSTED_BEFORE:-0}" ]
    fi
    local shown audio_misses periods audio_p99 comp_late comp_p99
    shown=$(json_number /tmp/game-$label.json shown_miss_ratio)
    audio_p99=$(json_number /tmp/audio-$label.json wake_lateness_p99_us)
    comp_late=$(json_number /tmp/game-$label.json compositor_late)
    comp_p99=$(json_number /tmp/game-$label.json compositor_latency_p99_us)
    audio_misses=$(json_number /tmp/audio-$label.json misses)
    periods=$(json_number /tmp/audio-$label.json periods)
    echo "GS-DESKTOP {\"arm\":\"$label\",\"scheduler\":\"$sched\",\"shown_miss_ratio\":${shown:-null},\"frame_miss_ratio\":$(json_number /tmp/game-$label.json frame_miss_ratio),\"game_audio_misses\":$(json_number /tmp/game-$label.json audio_misses),\"audio_server_misses\":${audio_misses:-null},\"audio_server_periods\":${periods:-null},\"audio_server_wake_p99_us\":${audio_p99:-null},\"composited\":$(json_number /tmp/comp-$label.json frames_composited),\"compositor_late\":${comp_late:-null},\"compositor_latency_p99_us\":${comp_p99:-null},\"hog_loops\":$(json_number /tmp/hog-$label.json loops)}"
    check "$label: the game, compositor and audio server reported" \
        sh -c "[ -n '$shown' ] && [ -n '$audio_misses' ]"
    echo "$sched ${shown:-nan} ${audio_misses:-nan} ${audio_p99:-nan}" >> /tmp/desk/arms
}

# The run's verdict, printed, never asserted: the benchmark's calibration rule on EEVDF's
# shown-frame miss ratio (mean of its arms, 0.15-0.6, else INVALID: too light and no
# improvement can show, too heavy and every scheduler sits at the ceiling), and gamesched's
# shown-frame misses, audio-server misses and audio-server wake lateness (p99, mean of the arms)
# as a multiple of EEVDF's.
summary() {
    awk '{ n[$1]++; shown[$1] += $2; audio[$1] += $3; wake[$1] += $4 }
    function ratio(a, b) { return a < 0 ? "null" : b > 0 ? sprintf("%.3f", a / b) : (a > 0 ? "null" : "0") }
    function mean(sum, s) { return n[s] ? sum[s] / n[s] : -1 }
    END {
        e = mean(shown, "eevdf"); g = mean(shown, "gamesched")
        ea = mean(audio, "eevdf"); ga = mean(audio, "gamesched")
        ew = mean(wake, "eevdf"); gw = mean(wake, "gamesched")
        valid = (e >= 0.15 && e <= 0.6) ? "true" : "false"
        printf "GS-DESKTOP-SUMMARY {\"eevdf_shown_miss_ratio\":%.4f,\"gamesched_shown_miss_ratio\":%.4f,", e, g
        printf "\"shown_ratio\":%s,\"eevdf_audio_server_misses\":%.1f,\"gamesched_audio_server_misses\":%.1f,", ratio(g, e), ea, ga
        printf "\"audio_ratio\":%s,\"eevdf_audio_server_wake_p99_us\":%.0f,\"gamesched_audio_server_wake_p99_us\":%.0f,", ratio(ga, ea), ew, gw
        printf "\"audio_wake_p99_ratio\":%s,\"calibration_valid\":%s}\n", ratio(gw, ew), valid
        printf "GS-INFO calibration (EEVDF shown-frame miss ratio %.3f, band 0.15-0.6): %s\n", e, valid == "true" ? "VALID" : "INVALID"
    }' /tmp/desk/arms | tee /tmp/desk/summary
}

show_scx
arm eevdf-1 eevdf
# Calibrating the load (docs/benchmarks.md): EEVDF's two arms alone.
if [ "${gs_desktop_eevdf_only:-0}" = 1 ]; then
    arm eevdf-2 eevdf
    summary
    finish
fi

start_core
check "core attached" wait_for 60 is_enabled_with gamesched
as_user "gamesched-detect --no-gamemode --rules-dir /usr/share/gamesched/rules.d --verbose" >> /tmp/detect.log 2>&1 &
check "gamesched-detect connected" wait_for 120 grep -q 'connected to gamesched-core' /tmp/detect.log

# Only while a game has the focus: the user's audio server and compositor are held, not boosted.
# It runs until killed: a slow guest must not see it exit before the checks.
as_user "/tmp/desk/pipewire audio-server --duration 600 $common" > /tmp/audio-idle.json 2>&1 &
check "gamesched-detect names the audio server by its program" \
    wait_for 60 grep -q 'treats pid [0-9]* as the audio server' /tmp/detect.log
idle_audio=$(pid_named pipewire)
check "the audio server (pid $idle_audio) is in the kernel's desktop map" wait_for 30 desktop_in_kernel "$idle_audio"
b0=$(status_counter desktop_boosted); sleep 2; b1=$(status_counter desktop_boosted)
info "desktop_boosted without a focused game: $b0 -> $b1"
check "no boost without a focused game" [ "$b0" = "$b1" ]
kill "$idle_audio"
check "the exited audio server left the desktop map" wait_for 30 not desktop_in_kernel "$idle_audio"

# A user may name only their own processes.
echo 'other:x:1001:1001::/tmp:/bin/sh' >> /etc/passwd
AS_USER=other as_user 'echo $$ > /tmp/other.pid; exec sleep 1000' &
wait_for 10 [ -s /tmp/other.pid ]
other=$(cat /tmp/other.pid)
as_user "gameschedctl desktop $other compositor" > /tmp/refused.out 2>&1
rc=$?
info "player naming uid 1001's pid $other as the compositor: rc=$rc: $(tr '\n' ' ' < /tmp/refused.out)"
check "another user's process is refused as the compositor" [ $rc != 0 ]
check "and is not in the desktop map" not desktop_in_kernel "$other"
kill "$other" 2>/dev/null
as_user "gameschedctl desktop 1 audio" > /tmp/refused1.out 2>&1
check "root's pid 1 is refused as the audio server" [ $? != 0 ]

arm gamesched-1 gamesched
arm gamesched-2 gamesched

check "never ejected: still enabled with our ops" is_enabled_with gamesched
check "the core logged no ejection" sh -c "! grep -q 'stopped the scheduler' /tmp/core.log"
kill -TERM $CORE_PID; wait $CORE_PID
check "sched_ext detached" wait_for 20 is_disabled
arm eevdf-2 eevdf
summary
kill "$INPUT_DEVICE_PID"
# The suite's run (icount) and the measuring run ask for it: an invalid calibration fails the
# run, as it fails ./run bench; a run under multi-threaded TCG follows the host's load and only
# prints it.
if [ "${gs_desktop_require_valid:-0}" = 1 ]; then
    check "calibration: EEVDF's shown-frame miss ratio inside 0.15-0.6" \
        grep -q '"calibration_valid":true' /tmp/desk/summary
    # The must-show (docs/benchmarks.md). Audio-server misses are printed, not asserted: EEVDF
    # itself misses 0-2 of 1312 periods per arm, too few to carry a ratio; its wake lateness is
    # the audio measure that can.
    shown_ratio=$(json_number /tmp/desk/summary shown_ratio)
    wake_ratio=$(json_number /tmp/desk/summary audio_wake_p99_ratio)
    check "shown-frame misses under gamesched <= 0.5x EEVDF's (${shown_ratio:-none})" \
        awk -v r="${shown_ratio:-x}" 'BEGIN { exit !(r ~ /^[0-9.]+$/ && r <= 0.5) }'
    check "audio-server wake p99 under gamesched below EEVDF's (${wake_ratio:-none}x)" \
        awk -v r="${wake_ratio:-x}" 'BEGIN { exit !(r ~ /^[0-9.]+$/ && r < 1) }'
fi
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
finish
