#!/bin/bash
# ./run demo: in the sched_ext VM (default), or on this machine's kernel with --host.
set -euo pipefail
mode=$1 build=$2
root=$(cd "$(dirname "$0")/.." && pwd)
case $mode in
    --vm)
        exec "$root/tests/vm/run-scenario.sh" "$build" demo "gs_demo_seconds=${GS_DEMO_SECONDS:-10}" ;;
    --host)
        [[ -d /sys/kernel/sched_ext ]] || {
            echo "this kernel has no sched_ext (/sys/kernel/sched_ext is missing); run ./run demo for the VM" >&2
            exit 1
        }
        "$build/core/gamesched-core" --stats 1 &
        core=$!
        trap 'kill -TERM $core 2>/dev/null; wait $core' EXIT
        echo "gamesched attached on this host; press Ctrl-C to detach" >&2
        wait $core ;;
    *) echo "usage: demo.sh --vm|--host BUILD_DIR" >&2; exit 2 ;;
esac
