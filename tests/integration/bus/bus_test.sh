#!/bin/bash
# Host test of gamesched-bus against a private system-like bus with the shipped policy file, the
# real socket server (gamesched-sockets-testd) under systemd-socket-activate, and a stand-in
# polkit authority (which also stands in for systemd's StartUnit). Every method is called once
# allowed and once refused, and the D-Bus error names are checked. Needs root: it creates the
# shipped system users (systemd-sysusers) and runs each party as its own user.
# usage: bus_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1 src=$2
work=$(mktemp -d /tmp/gamesched-bus-test.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fails=0 passes=0
not() { ! "$@"; }
check() { local what=$1; shift; if "$@"; then echo "PASS $what"; passes=$((passes+1)); else echo "FAIL $what"; fails=$((fails+1)); fi; }

systemd-sysusers "$src/packaging/systemd/gamesched.sysusers" || { echo "systemd-sysusers failed"; exit 1; }
chmod 0755 "$work"
sed "s|@WORK@|$work|; s|@POLICY@|$src/packaging/dbus/org.gamesched.Scheduler1.conf|" \
    "$src/tests/integration/bus/system-bus.conf.in" > "$work/bus.conf"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile & pids+=($!)
for _ in $(seq 50); do [ -S "$work/bus" ] && break; sleep 0.1; done

mkdir -p "$work/run" "$work/sysfs/root"; echo enabled > "$work/sysfs/state"; echo gamesched > "$work/sysfs/root/ops"
chmod 0755 "$work/run" "$work/sysfs" "$work/sysfs/root"
systemd-socket-activate -l "$work/run/hints.sock" -l "$work/run/control.sock" --seqpacket --fdname=hints:control \
    "$build/tests/integration/ipc/gamesched-sockets-testd" --runtime-dir="$work/run" \
    --bridge-user=gamesched-bus --control-group=gamesched > "$work/core.log" 2>&1 & core=$!; pids+=($core)
nobody=$(id -u nobody) daemon=$(id -u daemon)
S=org.gamesched.Scheduler1
# The owners the shipped policy file names for each action, as polkitd reads them.
owners=() action=''
while read -r line; do
    [[ $line =~ \<action\ id=\"([^\"]+)\" ]] && action=${BASH_REMATCH[1]}
    [[ $line =~ policykit\.owner\"\>unix-user:([a-z_-]+)\< ]] && owners+=(--owner "$action:$(id -u "${BASH_REMATCH[1]}")")
done < "$src/packaging/polkit/$S.policy"
check "the policy file names an owner for each of its actions" \
    [ "${#owners[@]}" -eq $((2 * $(grep -c '<action id=' "$src/packaging/polkit/$S.policy"))) ]
"$build/tests/integration/bus/gamesched-standin-polkit" "${owners[@]}" \
    --allow $S.register-game:$nobody --allow $S.register-game:0 --allow $S.set-mode:$nobody \
    --allow $S.set-tunables:0 --challenge $S.set-tunables:$nobody --allow $S.stop-start:0 \
    --allow $S.manage-profiles:0 --challenge $S.manage-profiles:$nobody \
    --slow $S.set-mode:$daemon > "$work/polkit.log" 2>&1 & pids+=($!)
sleep 0.5
chmod 0666 "$work/run/control.sock" "$work/run/hints.sock"  # access is the core's check (SO_PEERCRED), as shipped
setpriv --reuid=gamesched-bus --regid=gamesched-bus --init-groups \
    "$build/helpers/bus/gamesched-bus" --core-socket "$work/run/control.sock" --sysfs "$work/sysfs" --verbose \
    --mlcollect-socket "$work/run/mlcollect.sock" \
    > "$work/bridge.log" 2>&1 & pids+=($!)
B="busctl --address=$DBUS_SYSTEM_BUS_ADDRESS"
nobody_cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
as_nobody() { "${nobody_cmd[@]}" "$@"; }
as_daemon() { setpriv --reuid=daemon --regid=daemon --clear-groups "$@"; }
probe="$build/tests/integration/bus/gamesched-bus-probe"
prop() { $B get-property $S /org/gamesched/Scheduler1 $S "$1"; }
prop_has() { prop "$1" | grep -Eq -- "$2"; }
monitored() { grep -A12 "Member=$1" "$work/monitor.log" | grep -q -- "$2"; }
# expect WHAT OUTPUT PATTERN: the probe's output matches the (extended) regular expression.
expect() { local what=$1 out=$2 pattern=$3; check "$what [$out]" grep -Eq -- "$pattern" <<< "$out"; }
for _ in $(seq 100); do $B status $S > /dev/null 2>&1 && break; sleep 0.1; done
check "the bridge owns $S as gamesched-bus" grep -q "UID=$(id -u gamesched-bus)" <<< "$($B status $S)"

$B monitor $S > "$work/monitor.log" 2>&1 & pids+=($!)
$B introspect --xml-interface $S /org/gamesched/Scheduler1 > "$work/live.xml"
check "introspection equals helpers/bus/$S.xml" \
    python3 "$src/tests/integration/bus/same_interface.py" "$src/helpers/bus/$S.xml" "$work/live.xml"

# Started directly, not through as_nobody: `func &` forks a root subshell, and $! is its pid.
"${nobody_cmd[@]}" sleep 300 & game=$!; pids+=($game)
"${nobody_cmd[@]}" sleep 300 & game2=$!; pids+=($game2)
sleep 300 & roots=$!; pids+=($roots)
# setpriv changes the uid before it execs sleep; on a loaded host that can take a while.
owned_by() { [ "$(stat -c %u "/proc/$1" 2>/dev/null)" = "$2" ] && grep -q sleep "/proc/$1/comm"; }
for _ in $(seq 100); do owned_by $game $nobody && owned_by $game2 $nobody && break; sleep 0.1; done
echo "--- RegisterGame / UnregisterGame"
expect "RegisterGame: the caller's own process" "$(as_nobody $probe RegisterGame $game)" '^ok$'
check "Games lists it with its owner" prop_has Games " $game $nobody "
expect "RegisterGame: root's pid 1 is NotYours" "$(as_nobody $probe RegisterGame 1)" \
    "^error $S.Error.NotYours: pid 1 is not one of your processes, or does not exist"
expect "RegisterGame: polkit says no to uid $daemon" "$(as_daemon $probe RegisterGame $game)" \
    "^error org.freedesktop.PolicyKit1.Error.NotAuthorized: polkit .* did not authorise $S.register-game for uid $daemon"
expect "RegisterGame: root registers its own process" "$($probe RegisterGame $roots)" '^ok$'
expect "UnregisterGame: another user's game is NotYours" "$(as_nobody $probe UnregisterGame $roots)" \
    "^error $S.Error.NotYours: pid $roots is not a game of yours"
expect "UnregisterGame: the caller's own game" "$(as_nobody $probe UnregisterGame $game)" '^ok$'
check "Games no longer lists it" not prop_has Games " $game $nobody "

echo "--- RegisterGameByPIDFd / UnregisterGameByPIDFd"
expect "RegisterGameByPIDFd: the caller's own process" "$(as_nobody $probe RegisterGameByPIDFd $game2)" '^ok$'
check "Games lists it" prop_has Games " $game2 $nobody "
expect "RegisterGameByPIDFd: root's process is NotYours" "$(as_nobody $probe RegisterGameByPIDFd $roots)" \
    "^error $S.Error.NotYours: pid $roots is not one of your processes"
expect "UnregisterGameByPIDFd: the caller's own game" "$(as_nobody $probe UnregisterGameByPIDFd $game2)" '^ok$'
expect "UnregisterGameByPIDFd: another user's game is NotYours" "$(as_nobody $probe UnregisterGameByPIDFd $roots)" \
    "^error $S.Error.NotYours: pid $roots is not a game of yours"

echo "--- SetTunables / SetMode"
expect "SetTunables: polkit says no (no agent for the admin password)" \
    "$(as_nobody $probe SetTunables slice_us=3000)" \
    "^error org.freedesktop.PolicyKit1.Error.NotAuthorized: polkit .* did not authorise $S.set-tunables for uid $nobody: it needs authentication"
expect "SetTunables: an unknown name is InvalidArgs" "$($probe SetTunables colour=3)" \
    '^error org.freedesktop.DBus.Error.InvalidArgs: unknown tunable "colour"'
expect "SetTunables: authorised for root" "$($probe SetTunables slice_us=3000)" '^ok$'
check "Tunables reads back slice_us 3000" prop_has Tunables '"slice_us" 3000'
expect "SetTunables: out of range is the core's InvalidArgs" "$($probe SetTunables slice_us=1)" \
    '^error org.freedesktop.DBus.Error.InvalidArgs: .*slice_us'
expect "SetMode: 9 is InvalidArgs" "$(as_nobody $probe SetMode 9)" '^error org.freedesktop.DBus.Error.InvalidArgs: mode must be 0..4'
expect "SetMode: Gaming by an authorised user" "$(as_nobody $probe SetMode 1)" '^ok$'
check "Mode reads back 1" prop_has Mode '^u 1$'

echo "--- polkit is asked without blocking the bridge"
as_daemon $probe SetMode 3 > "$work/slow.out" & slow=$!
sleep 0.5
expect "GetStats answers while polkit keeps another caller waiting" "$(as_nobody $probe GetStats)" '^ok \{.*"server"'
check "... and that caller was still waiting" kill -0 $slow
wait $slow
expect "the waiting caller got its answer afterwards" "$(cat "$work/slow.out")" '^ok$'
check "Mode reads back 3" prop_has Mode '^u 3$'

echo "--- gameschedctl: control.sock for root, the bridge for others (--bus)"
ctl="$build/tools/ctl/gameschedctl"
C="$ctl --socket-dir $work/run"
out=$($C games); echo "$out"
check "games lists root's game with its owner and name" grep -Eq "^ *$roots +0 +sleep " <<< "$out"
check "games --json is a list naming the game" python3 -c "import json,sys; g=json.load(sys.stdin); \
assert any(x['pid'] == $roots for x in g), g" <<< "$($C games --json)"
check "stats --json has the server's state and the latest stats sample" python3 -c "import json,sys; \
s=json.load(sys.stdin); assert 'server' in s and s['stats'].get('seq', 0) > 0, s" <<< "$($C stats --json)"
out=$($C stats); echo "$out"
check "stats shows the mode" grep -q "mode lowlatency" <<< "$out"
out=$($C monitor 0.2 --count 3); echo "$out"
check "monitor 0.2 --count 3 prints 3 JSON lines with the mode" python3 -c "import json,sys; \
lines=sys.stdin.read().splitlines(); assert len(lines) == 3, lines; \
assert all(json.loads(l)['mode'] == 'lowlatency' for l in lines)" <<< "$out"
out=$($C top --plain --count 1); echo "$out"
check "top --plain shows root's game" grep -Eq "^ *$roots +0 +sleep" <<< "$out"
out=$(as_nobody $C games --bus); echo "$out"
check "games --bus as uid $nobody (through the bridge) lists root's game" grep -Eq "^ *$roots +0 +sleep " <<< "$out"
out=$(as_nobody $C stop --bus 2>&1); rc=$?
check "stop --bus as uid $nobody: polkit's no, exit 1 [$out]" \
    grep -q "org.freedesktop.PolicyKit1.Error.NotAuthorized" <<< "$out$([ $rc = 1 ] || echo " rc $rc")"
out=$(as_nobody $C stop 2>&1)
check "stop as uid $nobody without --bus goes through polkit too [$out]" \
    grep -q "org.freedesktop.PolicyKit1.Error.NotAuthorized" <<< "$out"
check "gameschedctl stop (root, control.sock) stops the core" $C stop
check "... the core was asked to stop and stay off, naming root" \
    python3 -c "import json,sys; calls=json.load(sys.stdin)['scheduler']['calls']; \
assert {'call': 'stop_and_stay_off', 'requested_by': 'uid 0'} in calls, calls" <<< "$($C stats --json)"
check "gameschedctl start (root) asks systemd to start gamesched.service" $C start
check "... systemd's StartUnit was called" grep -q 'StartUnit gamesched.service replace' "$work/polkit.log"

echo "--- profiles: a real gamesched-mlcollect on its socket (0660 root:gamesched, as shipped)"
state=$work/ml-state
mkdir -p "$state/profiles" "$state/samples"
# The same learned profile tests/integration/mlcollect/ctl_test.sh uses.
cp "$src/tests/integration/mlcollect/exe-mygame.profile.json" "$state/profiles/exe-mygame.json"
"$build/helpers/mlcollect/gamesched-mlcollect" --socket "$work/run/no-core.sock" --listen "$work/run/mlcollect.sock" \
    --state-dir "$state" --no-autotune > "$work/ml.log" 2>&1 & ml=$!; pids+=($ml)
for _ in $(seq 100); do [ -S "$work/run/mlcollect.sock" ] && break; sleep 0.1; done
chgrp gamesched "$work/run/mlcollect.sock"
pinned() { python3 -c "import json,sys; sys.exit(json.load(open('$state/profiles/exe-mygame.json'))['pinned'] != $1)"; }
# body_has OUTPUT PYTHON: the probe answered ok and the JSON after "ok " satisfies the expression (b).
body_has() { python3 -c "import json,sys; t=sys.stdin.read(); assert t.startswith('ok '), t; b=json.loads(t[3:]); \
assert $2, b" <<< "$1"; }
out=$(as_nobody $C profile list 2>&1)
check "uid $nobody cannot open mlcollect.sock itself [$out]" grep -q 'root or group gamesched' <<< "$out"
out=$(as_nobody $probe ListProfiles)
check "ListProfiles as uid $nobody (the bridge reads for everyone)" body_has "$out" \
    "[(p['key'], p['name'], p['status'], p['pinned'], p['trials']) for p in b['profiles']] == [('exe-mygame', 'My Game', 'learned', False, 1)]"
out=$(as_nobody $probe GetProfile "My Game")
check "GetProfile by name: the whole profile" body_has "$out" "b['key'] == 'exe-mygame' and b['results'] and b['tunables']['slice_us'] == 2000"
expect "GetProfile of an unknown game is InvalidArgs, saying where the games are" "$(as_nobody $probe GetProfile nonesuch)" \
    "^error org.freedesktop.DBus.Error.InvalidArgs: gamesched-mlcollect: no profile for 'nonesuch'; .*profile list"
expect "GetProfile without a game is InvalidArgs" "$(as_nobody $probe GetProfile '')" \
    '^error org.freedesktop.DBus.Error.InvalidArgs: name a game'
expect "PinProfile: polkit says no to uid $nobody" "$(as_nobody $probe PinProfile exe-mygame)" \
    "^error org.freedesktop.PolicyKit1.Error.NotAuthorized: polkit .* did not authorise $S.manage-profiles for uid $nobody: it needs authentication"
check "... and the profile is not pinned" pinned False
expect "PinProfile: authorised for root" "$($probe PinProfile exe-mygame)" '^ok$'
check "... the collector stored it pinned" pinned True
check "... and ListProfiles says so" body_has "$($probe ListProfiles)" "b['profiles'][0]['pinned'] is True"
expect "PinProfile of an unknown game is InvalidArgs" "$($probe PinProfile nonesuch)" \
    "^error org.freedesktop.DBus.Error.InvalidArgs: gamesched-mlcollect: no profile for 'nonesuch'"
expect "UnpinProfile by name: authorised for root" "$($probe UnpinProfile "My Game")" '^ok$'
check "... the collector stored it unpinned" pinned False
expect "ResetProfile: polkit says no to uid $nobody" "$(as_nobody $probe ResetProfile exe-mygame)" \
    "^error org.freedesktop.PolicyKit1.Error.NotAuthorized: .*$S.manage-profiles"
check "... and the profile is still there" test -e "$state/profiles/exe-mygame.json"
expect "ResetProfile: authorised for root" "$($probe ResetProfile exe-mygame)" '^ok$'
check "... the profile is gone" not test -e "$state/profiles/exe-mygame.json"
check "... and ListProfiles is empty" body_has "$($probe ListProfiles)" "b['profiles'] == []"
kill $ml; wait $ml 2>/dev/null
expect "ListProfiles without the collector: CoreUnavailable, saying how to start it" "$(as_nobody $probe ListProfiles)" \
    "^error $S.Error.CoreUnavailable: gamesched-mlcollect is not running: .*systemctl enable --now gamesched-mlcollect.socket"
expect "PinProfile without the collector: the same" "$($probe PinProfile exe-mygame)" \
    "^error $S.Error.CoreUnavailable: gamesched-mlcollect is not running"

echo "--- signals"
"$build/tools/ctl/gameschedctl" --socket-dir "$work/run" focus $roots > /dev/null
echo disabled > "$work/sysfs/state"
for _ in $(seq 50); do grep -q StateChanged "$work/monitor.log" && grep -q FocusChanged "$work/monitor.log" && break; sleep 0.1; done
kill $game
as_nobody $probe RegisterGame $game2 > /dev/null; kill $game2
for _ in $(seq 50); do [ "$(grep -c GameExited "$work/monitor.log")" -ge 2 ] && break; sleep 0.1; done
check "GameStarted was signalled" grep -q 'Member=GameStarted' "$work/monitor.log"
check "GameExited was signalled when a registered process exited" monitored GameExited "INT32 $game2"
check "FocusChanged was signalled" monitored FocusChanged "INT32 $roots"
check "StateChanged was signalled with the kernel's state" monitored StateChanged 'STRING "disabled"'
check "PropertiesChanged was signalled" grep -q 'Member=PropertiesChanged' "$work/monitor.log"

echo "--- Stop / Start / GetStats"
expect "Stop: polkit says no to uid $nobody" "$(as_nobody $probe Stop)" "^error org.freedesktop.PolicyKit1.Error.NotAuthorized: .*$S.stop-start"
expect "Stop: authorised for root" "$($probe Stop)" '^ok$'
check "the core was asked to stop, naming root through the bridge" \
    grep -q '"requested_by":"uid 0 through the D-Bus bridge"' <<< "$(as_nobody $probe GetStats)"
expect "Start: polkit says no to uid $nobody" "$(as_nobody $probe Start)" "^error org.freedesktop.PolicyKit1.Error.NotAuthorized: .*$S.stop-start"
expect "Start: authorised for root, asks systemd to start gamesched.service" "$($probe Start)" '^ok$'
check "systemd's StartUnit was asked again (ctl's and the bridge's)" [ "$(grep -c 'StartUnit gamesched.service replace' "$work/polkit.log")" = 2 ]
kill $core; wait $core 2>/dev/null
expect "GetStats without a core is CoreUnavailable" "$($probe GetStats)" "^error $S.Error.CoreUnavailable: gamesched-core is not reachable"

echo "--- polkit stand-in"; cat "$work/polkit.log"
echo "--- bridge"; tail -30 "$work/bridge.log"
echo "--- gamesched-mlcollect"; tail -20 "$work/ml.log"
echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
