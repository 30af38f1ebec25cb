#!/bin/bash
# First boot: install gamesched the way README.md's Install section says, its commands word for
# word (run-system.sh copied them into install-commands), as root in the running system. Then the
# files the installation created or changed go to the host over a virtio port, so that the next
# boot (the checks) starts from the installed system.
. /usr/local/lib/gamesched-system-test/lib.sh
here=/usr/local/lib/gamesched-system-test
port=/dev/virtio-ports/org.gamesched.changes

marker=$(mktemp)
cd /var/tmp/gamesched-install || exit 1
while IFS= read -r cmd; do
    info "\$ $cmd"
    # Y: what a user types at apt's "Do you want to continue? [Y/n]".
    bash -c "$cmd" <<<Y > >(sed "s/^/GS-OUT $GS_AREA: /") 2>&1 &
    check "README's '$cmd' succeeds" wait_or_show_processes 600 $!
done < "$here/install-commands"

check "gamesched.socket is active after the installation" is_unit_state gamesched.socket active
check "gamesched-control.socket came along" is_unit_state gamesched-control.socket active
check "gamesched.service is not running (socket activation only)" is_unit_state gamesched.service inactive
check "the package's sysusers entry made the group gamesched" eval "getent group gamesched > /dev/null"
check "gamesched-detect.service is enabled for every user" \
    [ "$(systemctl --global is-enabled gamesched-detect.service)" = enabled ]
# Where the package put things (what meson install puts there too, under /usr).
for path in /usr/sbin/gamesched-core /usr/bin/gameschedctl /usr/bin/gamesched-detect /usr/bin/gamesched-kwin \
    /usr/bin/gamesched-mlcollect /usr/libexec/gamesched/gamesched-bus \
    /lib/systemd/system/gamesched.service /lib/systemd/system/gamesched.socket \
    /lib/systemd/system/gamesched-control.socket /lib/systemd/system/gamesched-mlcollect.service \
    /lib/systemd/system/gamesched-bus.service /usr/share/dbus-1/system.d/org.gamesched.Scheduler1.conf \
    /usr/share/polkit-1/actions/org.gamesched.Scheduler1.policy \
    /usr/lib/systemd/user/gamesched-detect.service /usr/lib/systemd/user/gamesched-kwin.service \
    /usr/lib/systemd/user-preset/80-gamesched.preset \
    /usr/lib/sysusers.d/gamesched.conf /usr/lib/tmpfiles.d/gamesched.conf \
    /usr/share/gamesched/thread-roles.json /usr/share/gamesched/rules.d/10-steam.json \
    /usr/share/gamesched/kwin/focus.js /usr/share/bash-completion/completions/gameschedctl \
    /usr/share/man/man8/gamesched-core.8.gz /usr/share/man/man1/gameschedctl.1.gz \
    /usr/share/man/man1/gamesched-detect.1.gz /usr/share/man/man1/gamesched-kwin.1.gz \
    /usr/share/man/man8/gamesched-mlcollect.8.gz /usr/share/man/man5/gamesched.conf.5.gz \
    /usr/share/man/man8/gamesched-bus.8.gz; do
    check "installed: $path" test -e "$path"
done
check "the package's tmpfiles entry made /run/gamesched (0755 root)" \
    [ "$(stat -c '%a %U' /run/gamesched 2> /dev/null)" = "755 root" ]

touch "$here/installed"
wait_for 30 test -e "$port" || { fail "virtio port $port missing"; finish; }
# Everything on the root file system the installation touched (ctime after the marker), apart
# from caches and logs. Removed files are not carried over; an installation removes none we need.
cd / && find . -xdev -mindepth 1 \( -path ./var/cache -o -path ./var/lib/apt/lists -o -path ./var/log \
    -o -path ./var/tmp -o -path ./tmp \) -prune -o -cnewer "$marker" -print0 | cpio --null -o -H newc --quiet > "$port"
check "the installed files went to the host" [ "${PIPESTATUS[1]}" = 0 ]
sync
finish
