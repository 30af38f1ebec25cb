#!/bin/bash
# The flood figure of docs/security.md: the real socket server (gamesched-sockets-testd, started
# by systemd-socket-activate as the core is) takes RATE hint records per second from one uid for
# SECONDS, while another uid asks every 100 ms. Samples the server's RSS and fd count every
# second, counts the other user's answers and the server's log lines, and fails if the other user
# went unanswered, the fd count grew, RSS grew by 16 MiB or more, or the log was not rate-limited.
# usage: flood-run.sh TESTD FLOOD SECONDS RATE [CSV]   (./run flood = 60 s at 100000/s)
set -euo pipefail
testd=$1 flood=$2 seconds=$3 rate=$4 csv=${5:-}
work=$(mktemp -d /tmp/gamesched-flood.XXXXXX)
chmod 755 "$work"
cleanup() { [[ -n ${server:-} ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

systemd-socket-activate --seqpacket -l "$work/hints.sock" -l "$work/control.sock" --fdname=hints:control \
    "$testd" --runtime-dir="$work" --verbose=0 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do [[ -S $work/hints.sock ]] && break; sleep 0.1; done
chmod 666 "$work/hints.sock"
# One connection so that systemd-socket-activate has exec'd the server: its pid is ours then.
/usr/bin/python3 -c "import socket; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.connect('$work/control.sock'); s.send(b'{\"v\":1,\"id\":1,\"type\":\"get_status\"}'); s.recv(65536)"

setpriv --reuid=61500 --regid=61500 --clear-groups "$flood" "$work/hints.sock" "$seconds" "$rate" 32 \
    >"$work/flood.json" &
flooder=$!
asked=0 answered=0
echo "second,rss_kib,fds" >"$work/samples.csv"
start=$(date +%s)
next_sample=$start
while kill -0 $flooder 2>/dev/null; do
    asked=$((asked + 1))
    if setpriv --reuid=61501 --regid=61501 --clear-groups /usr/bin/python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.settimeout(2)
s.connect('$work/hints.sock'); s.send(b'{\"v\":1,\"id\":1,\"type\":\"get_status\"}')
sys.exit(0 if b'\"ok\":true' in s.recv(4096) else 1)" 2>/dev/null; then
        answered=$((answered + 1))
    fi
    now=$(date +%s)
    if [[ $now -ge $next_sample ]]; then
        echo "$((now - start)),$(awk '/^VmRSS/{print $2}' /proc/$server/status),$(ls /proc/$server/fd | wc -l)" \
            >>"$work/samples.csv"
        next_sample=$((now + 1))
    fi
    sleep 0.1
done
wait $flooder
log_lines=$(wc -l <"$work/server.log")
echo "flood: $(cat "$work/flood.json")"
echo "other user: $answered of $asked requests answered"
echo "server log lines during the flood: $log_lines"
echo "samples (second, RSS KiB, fds):"
cat "$work/samples.csv"
[[ -n $csv ]] && cp "$work/samples.csv" "$csv"

rc=0
[[ $answered -eq $asked && $asked -gt 5 ]] || { echo "FAIL: the other user was not always answered"; rc=1; }
fds=$(tail -n +2 "$work/samples.csv" | cut -d, -f3 | sort -n | uniq)
first_fds=$(sed -n 2p "$work/samples.csv" | cut -d, -f3)
max_fds=$(tail -n +2 "$work/samples.csv" | cut -d, -f3 | sort -n | tail -1)
[[ $max_fds -le $((first_fds + 2)) ]] || { echo "FAIL: fd count grew ($first_fds -> $max_fds)"; rc=1; }
first_rss=$(sed -n 2p "$work/samples.csv" | cut -d, -f2)
max_rss=$(tail -n +2 "$work/samples.csv" | cut -d, -f2 | sort -n | tail -1)
[[ $((max_rss - first_rss)) -lt 16384 ]] || { echo "FAIL: RSS grew by $((max_rss - first_rss)) KiB"; rc=1; }
[[ $log_lines -le $((seconds / 10 + 10)) ]] || { echo "FAIL: $log_lines log lines: not rate-limited"; rc=1; }
sent=$(grep -o '"offered":[0-9]*' "$work/flood.json" | cut -d: -f2)
[[ $sent -ge $((rate * seconds / 2)) ]] || { echo "FAIL: the flood offered only $sent records"; rc=1; }
exit $rc
