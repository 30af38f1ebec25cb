#!/bin/bash
# gamesched-kwin in the user's manager with its sandbox as shipped (a user namespace of its own, a
# read-only file system): in a session that says it is Plasma, it starts, owns its bus name (the
# unit is Type=dbus, so "active" means it got it) and waits for KWin. The image has no Plasma; the
# KWin side (script loaded, focus reported) is the kwin-real integration test's.
. /usr/local/lib/gamesched-system-test/lib.sh

session_active || start_user_session
user_ctl set-environment XDG_CURRENT_DESKTOP=KDE
user_ctl start gamesched-kwin.service
check "gamesched-kwin.service starts sandboxed in a Plasma session and owns its bus name" \
    eval '[ "$(user_ctl show -P ActiveState gamesched-kwin.service)" = active ]'
check "it waits for KWin" wait_for 30 eval \
    "journalctl -b _SYSTEMD_USER_UNIT=gamesched-kwin.service -o cat | grep -q 'waiting for it to appear'"
show user_ctl status --no-pager gamesched-kwin.service
# The helper's own lines and what the user manager said about starting it.
show journalctl -b -q -o cat _SYSTEMD_USER_UNIT=gamesched-kwin.service + USER_UNIT=gamesched-kwin.service
user_ctl stop gamesched-kwin.service
user_ctl unset-environment XDG_CURRENT_DESKTOP
finish
