#!/bin/bash
# gameschedctl's bash completion offers its commands, the modes and exactly the tunables the
# protocol knows (ipc/), and the user's own processes as PIDs.
# Usage: completion-test.sh SOURCE_ROOT
set -uo pipefail
src=$1
. /usr/share/bash-completion/bash_completion || { echo "FAIL: bash-completion is not installed"; exit 1; }
. "$src/packaging/bash-completion/gameschedctl"
failed=0
# compopt works only while bash itself runs a completion; here the function is called directly.
compopt() { :; }

# completions LINE: what completing at the end of LINE offers, sorted, one line.
completions() {
    local line=$1
    COMP_LINE=$line COMP_POINT=${#line}
    read -ra COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _gameschedctl gameschedctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort | xargs
}
expect() { # expect "what" ACTUAL EXPECTED
    if [[ $2 == "$3" ]]; then echo "ok: $1"; else echo "FAIL: $1: got '$2', want '$3'"; failed=1; fi
}

expect "commands" "$(completions 'gameschedctl ')" \
    "desktop focus game games ml mode monitor profile set start stats status stop top ungame watch"
expect "commands after --socket-dir DIR" "$(completions 'gameschedctl --socket-dir /tmp sta')" "start stats status"
expect "profile subcommands" "$(completions 'gameschedctl profile ')" "export list pin reset show unpin"
expect "desktop roles (ipc desktop_role_from_name)" "$(completions "gameschedctl desktop $$ ")" "audio compositor"
expect "ml export --csv" "$(completions 'gameschedctl ml export --')" "--csv"
# The protocol's own tables (ipc/*.cpp): kModeNames and kTunableRanges. If they move or change,
# this test says so, and the completion follows.
modes=$(sed -n '/kModeNames = /,/;/p' "$src"/ipc/*.cpp | grep -o '"[a-z]*"' | tr -d '"' | sort | xargs)
expect "modes (ipc kModeNames)" "$(completions 'gameschedctl mode ')" "$modes"
tunables=$( { sed -n '/kTunableRanges = /,/;/s/^ *{"\([a-z_]*\)",.*/\1/p' "$src"/ipc/*.cpp; echo preempt_enabled; } \
    | sort | xargs)
expect "tunables (ipc kTunableRanges)" "$(completions 'gameschedctl set ' | tr -d '=')" "$tunables"
expect "watch options" "$(completions 'gameschedctl watch --')" "--events --stats"
expect "top options" "$(completions 'gameschedctl top --')" "--bus --count --interval --plain"
expect "stats options" "$(completions 'gameschedctl stats --')" "--bus --json"
own=$(completions 'gameschedctl game ')
expect "game PID offers this shell's own pid" "$(grep -ow "$$" <<<"$own")" "$$"
exit $failed
