#!/bin/bash
# systemd-analyze security of every service unit the package ships, as installed (system units in
# the system manager, user units in the desktop user's manager), held to the figures in
# docs/security.md ("Unit sandboxing"). The whole table goes into the test log.
. /usr/local/lib/gamesched-system-test/lib.sh

# security UNIT system|user: prints systemd-analyze's table and sets EXPOSURE to its overall figure.
security() {
    local out
    if [[ $2 == user ]]; then
        out=$(systemd-analyze --user -M $USER_NAME@ security --no-pager "$1" 2>&1)
    else
        out=$(systemd-analyze security --no-pager "$1" 2>&1)
    fi
    sed "s/^/GS-OUT $GS_AREA: /" <<<"$out"
    EXPOSURE=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
}
at_most() { [[ -n $1 ]] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

session_active || start_user_session
for spec in gamesched.service:2.0:system gamesched-mlcollect.service:1.5:system \
    gamesched-detect.service:6.1:user gamesched-kwin.service:6.1:user; do
    IFS=: read -r unit limit scope <<<"$spec"
    security "$unit" "$scope"
    check "$unit ($scope unit): exposure ${EXPOSURE:-unknown} <= $limit" at_most "$EXPOSURE" "$limit"
done
finish
