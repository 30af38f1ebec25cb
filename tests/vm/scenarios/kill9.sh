#!/bin/sh
# SIGKILL of the core: the struct_ops link closes with the process and the kernel returns every
# task to the fair class.
. /gamesched/lib.sh
start_core_as_shipped
check "core attached" wait_for 20 is_enabled_with gamesched
show_scx
sleep 1000 & sleeper=$!
check "a task runs on the ext class while attached" on_ext_class $sleeper
kill -9 $CORE_PID
wait $CORE_PID 2>/dev/null
check "after kill -9 the scheduler detaches within 2 s" wait_for 2 is_disabled
show_scx
check "the task is back on the fair class" sh -c "! grep -qE '^ext\.enabled +: +1' /proc/$sleeper/sched"
kill $sleeper
check "no sched_ext error in the kernel log" [ -z "$(scx_kernel_errors)" ]
dump_core_log
finish
