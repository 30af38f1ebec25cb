#!/bin/bash
# Seed corpus of the KWin callback fuzzer: a few callback sequences in its input format (4 bytes
# pid, little-endian; 1 byte time step in ms; 1 byte class length / 8; the class).
# usage: seed-kwin.sh DIRECTORY
set -euo pipefail
printf '\x39\x30\x00\x00\x00\x01steam_ap' >"$1/one-window"
printf '\x39\x30\x00\x00\x05\x01firefox!\x3a\x30\x00\x00\x40\x01steam_ap\x00\x00\x00\x00\x40\x00' >"$1/switch-and-unknown"
printf '\xff\xff\xff\xff\x00\x02\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xae\x80\x80\x80\x80\x80\x80\x80' >"$1/negative-pid-utf8"
echo "3 seeds written to $1"
