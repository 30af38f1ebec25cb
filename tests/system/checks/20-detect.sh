#!/bin/bash
# The desktop user's session: logging in starts the user's service manager, and with it
# gamesched-detect (enabled for every user by the package). A game launched the way Steam
# launches one enters the kernel's game map; it leaves when it exits.
. /usr/local/lib/gamesched-system-test/lib.sh

check "uid $USER_UID logs in on tty1 (autologin) and its service manager runs" start_user_session
show loginctl show-session "$(loginctl show-user $USER_NAME -P Display)" -p Type -p Seat -p Active -p State -p Class
check "gamesched-detect.service is enabled for the user" [ "$(user_ctl is-enabled gamesched-detect.service)" = enabled ]
check "gamesched-detect.service is active in the user's manager" wait_for 30 eval '[ "$(user_ctl show -P ActiveState gamesched-detect.service)" = active ]'
show user_ctl status --no-pager gamesched-detect.service gamesched-kwin.service
# Outside Plasma the focus tracker's ConditionEnvironment=XDG_CURRENT_DESKTOP=KDE keeps it off.
check "gamesched-kwin.service did not fail (it waits for a Plasma session)" \
    eval '[ "$(user_ctl show -P ActiveState gamesched-kwin.service)" != failed ]'

# A Steam-style launch inside the user's manager: reaper SteamLaunch AppId=N -- game.
mkdir -p /tmp/steam
cp /usr/bin/sleep /tmp/steam/MyGame
cat > /tmp/steam/reaper <<'SCRIPT'
#!/bin/sh
# Like Steam's reaper: "reaper SteamLaunch AppId=N -- game ARGS"; the game runs as its child.
export SteamAppId=4242 SteamGameId=4242
while [ "$1" != -- ]; do shift; done; shift
"$@" &
wait
SCRIPT
chmod 755 /tmp/steam /tmp/steam/reaper /tmp/steam/MyGame
check "the user's manager starts the Steam-style launch" \
    systemd-run --user -M $USER_NAME@ --unit=fake-steam-game --collect \
        /tmp/steam/reaper SteamLaunch AppId=4242 -- /tmp/steam/MyGame 600
wait_for 10 pgrep -u $USER_UID -x MyGame > /dev/null
steam_pid=$(pgrep -u $USER_UID -x MyGame | head -1)
check "the Steam game (pid ${steam_pid:-none}) enters the kernel's game map" wait_for 60 game_in_kernel "${steam_pid:-0}"
user_ctl stop fake-steam-game.service
check "it leaves the game map after it exits" wait_for 30 not game_in_kernel "${steam_pid:-0}"
show user_ctl status --no-pager gamesched-detect.service
finish
