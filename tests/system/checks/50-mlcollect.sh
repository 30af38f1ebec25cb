#!/bin/bash
# gamesched-mlcollect as shipped: enabled by the administrator, it runs as a dynamic user in the
# group gamesched (no root, no capabilities), its own socket is systemd's (0660 root:gamesched),
# it reaches the core over control.sock, stores samples of a registered game in its state
# directory, and root's gameschedctl reads its profiles and samples through that socket. On stop
# it saves the run in progress and leaves.
. /usr/local/lib/gamesched-system-test/lib.sh

unit=gamesched-mlcollect.service
info "before enabling: $unit $(unit_state $unit), socket $(unit_state gamesched-mlcollect.socket)"
cursor=$(journal_cursor)
check "systemctl enable --now gamesched-mlcollect.socket $unit" \
    eval "systemctl enable --now gamesched-mlcollect.socket $unit > /tmp/ml-enable.log 2>&1"
show cat /tmp/ml-enable.log
check "$unit is active" wait_for 60 is_unit_state $unit active
check "gamesched-mlcollect.socket is active" is_unit_state gamesched-mlcollect.socket active
pid=$(systemctl show -P MainPID $unit)
# Type=exec: "active" means the collector runs; before its exec the process is systemd's child,
# still root with every capability while it applies the unit's settings.
check "its main process (pid $pid) is the collector" [ "$(readlink /proc/$pid/exe)" = /usr/bin/gamesched-mlcollect ]
show grep -E '^(Uid|Gid|Groups|CapEff|CapPrm|NoNewPrivs|Seccomp):' /proc/$pid/status
check "it runs as a dynamic user, not root" [ "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" -ne 0 ]
gamesched_gid=$(getent group gamesched | cut -d: -f3)
check "in the group gamesched (gid $gamesched_gid)" grep -Eq "^Groups:.*\b$gamesched_gid\b" /proc/$pid/status
check "with no capabilities" grep -q '^CapEff:[[:space:]]*0000000000000000$' /proc/$pid/status
check "the request socket is systemd's: 0660 root:gamesched" \
    [ "$(stat -c '%a %U %G' /run/gamesched/mlcollect.sock)" = "660 root gamesched" ]
check "it reached the core over control.sock" \
    wait_for 90 eval "journalctl -b -q -u $unit --since='$cursor' -o cat | grep -q 'connected to gamesched-core'"

sh -c 'echo $$ > /tmp/ml-game.pid; exec sleep 600' &
wait_for 10 test -s /tmp/ml-game.pid
game_pid=$(cat /tmp/ml-game.pid)
# The collector keys a game without a Steam app id by the name it was registered with.
gameschedctl game "$game_pid" ml-check --hold > /tmp/ml-hint 2>&1 &
hold_pid=$!
check "a game is registered (pid $game_pid)" wait_for 60 game_in_kernel "$game_pid"
samples=/var/lib/private/gamesched-mlcollect/samples/exe-ml-check.jsonl
check "its samples are stored in the state directory" wait_for 90 test -s $samples
show ls -l /var/lib/private/gamesched-mlcollect /var/lib/private/gamesched-mlcollect/samples
check "root's 'gameschedctl profile list' lists it (autotune started)" \
    wait_for 60 eval "gameschedctl profile list 2>&1 | grep -q '^exe-ml-check '"
show gameschedctl profile list
check "root's 'gameschedctl ml export --csv exe-ml-check' has its samples" \
    eval "[ \$(gameschedctl ml export --csv exe-ml-check | grep -c '^exe-ml-check,') -ge 1 ]"
check "uid $USER_UID (not in the group) is refused the socket" \
    eval "! as_user gameschedctl profile list > /tmp/ml-user.out 2>&1 && grep -q 'root or group gamesched' /tmp/ml-user.out"
show cat /tmp/ml-user.out

check "systemctl stop $unit" systemctl stop $unit
check "the run in progress was saved as the profile (status tuning)" \
    grep -q '"status": "tuning"' /var/lib/private/gamesched-mlcollect/profiles/exe-ml-check.json
show journalctl -b -q -u $unit --since="$cursor" -o cat
kill $hold_pid $game_pid 2> /dev/null
systemctl disable -q gamesched-mlcollect.socket $unit
finish
