#!/bin/bash
# ./run demo: in the sched_ext VM (default), or on this machine's kernel with --host.
set -euo pipefail
mode=$1 build=$2
root=$(cd "$(dirname "$0")/.." && pwd)
case $mode in
    --vm)
        exec "$root/tests/vm/run-scenario.sh" "$build" demo "gs_demo_seconds=${GS_DEMO_SECONDS:-15}" ;;
    --host)
        [[ -d /sys/kernel/sched_ext ]] || {
            echo "this kernel has no sched_ext (/sys/kernel/sched_ext is missing); run ./run demo for the VM" >&2
            exit 1
        }
        secs=${GS_DEMO_SECONDS:-15}
        "$build/core/gamesched-core" &
        core=$!
        trap 'kill -TERM $top $core 2>/dev/null; wait $core' EXIT
        for _ in $(seq 100); do
            [[ $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null) == gamesched ]] && break
            sleep 0.1
        done
        top=
        echo "gamesched attached on this host; a synthetic game runs for ${secs}s (Ctrl-C detaches)" >&2
        "$build/tools/bench/gamesched-bench" game --duration "$secs" > /tmp/gamesched-demo-game.json &
        game=$!
        sleep 1
        "$build/tools/ctl/gameschedctl" game "$game" synthetic-game --hold > /dev/null &
        holder=$!
        # What a person reads: the top view as text, one screen per second.
        "$build/tools/ctl/gameschedctl" top --plain --interval 1 &
        top=$!
        wait $game
        kill $holder 2>/dev/null
        echo "the game's own measurements are in /tmp/gamesched-demo-game.json" >&2 ;;
    *) echo "usage: demo.sh --vm|--host BUILD_DIR" >&2; exit 2 ;;
esac
