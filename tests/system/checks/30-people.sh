#!/bin/bash
# Fair to every person (docs/security.md): games and the focus are taken only for people at a
# logind seat. A service account (a system user with no session) is refused with a message that
# says why; the desktop user, logged in on seat0, is served. Runs in the full-system boot, where
# logind is real.
. /usr/local/lib/gamesched-system-test/lib.sh
not() { ! "$@"; }

session_active || start_user_session
show loginctl show-user $USER_NAME -p State -p Display
id gs-service > /dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin gs-service
svc_uid=$(id -u gs-service)
show loginctl show-user gs-service -p State
svc_pid=$(start_process_as gs-service)

out=$(runuser -u gs-service -- gameschedctl game $svc_pid svcgame 2>&1)
rc=$?
info "service account uid $svc_uid, game hint: rc=$rc: $out"
check "service account uid $svc_uid: its game hint is refused" [ $rc != 0 ]
check "the refusal says it has no login session on a seat" grep -q "has no login session on a seat" <<<"$out"
check "the service account's process is not in the kernel's game map" not game_in_kernel $svc_pid
out=$(runuser -u gs-service -- gameschedctl focus $svc_pid 2>&1)
rc=$?
info "service account, focus hint: rc=$rc: $out"
check "service account: its focus hint is refused, saying why" \
    eval "[ $rc != 0 ] && grep -q 'not the active session on a seat' <<<\"\$out\""

user_pid=$(start_user_process)
as_user gameschedctl game $user_pid mygame --hold > /dev/null 2>&1 &
holder=$!
check "the person at the seat (uid $USER_UID): game hint accepted" wait_for 30 game_in_kernel $user_pid
kill $holder $user_pid $svc_pid 2> /dev/null
finish
