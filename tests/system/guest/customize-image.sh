#!/bin/bash
# mmdebstrap customize hook for the full-system image: ROOT is the finished root filesystem.
# What a desktop system has and a minbase chroot lacks, and what keeps a test boot quiet.
set -euo pipefail
root=$1 user=$2 uid=$3
here=$(cd "$(dirname "$0")" && pwd)

systemd-machine-id-setup --root="$root"   # an installed system, not a first boot
echo gamesched-vm > "$root/etc/hostname"
printf '127.0.1.1\tgamesched-vm\n' >> "$root/etc/hosts"   # as the Debian installer writes it (sudo wants it)
chroot "$root" useradd --create-home --uid "$uid" --shell /bin/bash "$user"

units=$root/etc/systemd/system
# No apt runs in the guest on its own (there is no network), and the serial line carries the
# checks' output, not a login prompt.
for unit in apt-daily.timer apt-daily-upgrade.timer serial-getty@ttyS0.service; do
    ln -sf /dev/null "$units/$unit"
done
# The desktop user logs in through autologin on tty1, but only when a check starts it.
rm -f "$units/getty.target.wants/getty@tty1.service"
mkdir -p "$units/getty@tty1.service.d"
cp "$here/getty-autologin.conf" "$units/getty@tty1.service.d/autologin.conf"

# apt's lists stay (README's install command names a suite) with the binary cache built from
# them and the installed set, so the guest's apt need not parse the lists (minutes under TCG).
# The downloaded packages and the lists-only cache (apt needs it only to rebuild the other) go.
chroot "$root" apt-cache gencaches > /dev/null
rm -f "$root"/var/cache/apt/archives/*.deb "$root/var/cache/apt/srcpkgcache.bin"
