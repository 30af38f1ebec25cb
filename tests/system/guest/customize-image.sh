#!/bin/bash
# mmdebstrap customize hook for the full-system image: ROOT is the finished root filesystem.
# What a desktop system has and a minbase chroot lacks, what keeps a test boot quiet, and what
# keeps the image small (the guest unpacks all of it as its initramfs at every boot, under TCG).
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

# Size. bookworm's init-system-helpers pulls usrmerge (and with it perl, 50 MB) although /usr is
# merged already (usr-is-merged says so); the hardware database names devices the guest lacks.
chroot "$root" apt-get purge -y -q usrmerge perl libperl5.36 perl-modules-5.36 > /dev/null 2>&1
chroot "$root" apt-get autoremove --purge -y -q > /dev/null 2>&1
rm -f "$root/usr/lib/udev/hwdb.bin" "$root/etc/udev/hwdb.bin"

# apt's lists stay, since README's install command names a suite (libbpf1/bookworm-backports),
# but only the entries of what is installed: everything the installation can need is (the image
# holds the package's dependencies), and apt in the guest then reads 0.3 MB instead of 50 MB
# (minutes under TCG). The binary cache is built here from those lists; the lists-only cache and
# the downloaded packages go.
chroot "$root" dpkg-query -W -f '${Package}\n' > "$root/tmp/installed-packages"
for list in "$root"/var/lib/apt/lists/*_Packages; do
    awk -v keep_file="$root/tmp/installed-packages" '
        BEGIN { while ((getline name < keep_file) > 0) keep[name] = 1; RS = ""; ORS = "\n\n" }
        { name = $0; sub(/\n.*/, "", name); sub(/^Package: /, "", name); if (name in keep) print }' \
        "$list" > "$list.installed"
    mv "$list.installed" "$list"
done
rm -f "$root/tmp/installed-packages" "$root"/var/cache/apt/*.bin
chroot "$root" apt-cache gencaches > /dev/null
rm -f "$root"/var/cache/apt/archives/*.deb "$root/var/cache/apt/srcpkgcache.bin"
