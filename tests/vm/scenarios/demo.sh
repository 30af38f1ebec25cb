#!/bin/sh
# ./run demo: the core with live statistics while a mixed load runs (the demo grows as features
# land: game detection, a synthetic game, input devices).
. /gamesched/lib.sh
show_scx
gamesched-core --stats 1 2>&1 | sed -u 's/^/core | /' &
check "core attached" wait_for 20 is_enabled_with gamesched
show_scx
info "running a mixed load for ${gs_demo_seconds:-10} s; one stats line per second follows"
check "mixed workload completes" mixed_workload "${gs_demo_seconds:-10}"
killall -TERM gamesched-core
check "detached" wait_for 5 is_disabled
show_scx
finish
