#!/bin/bash
# clang-format (check only) and clang-tidy over the C++ sources, using the build's compile
# database. Exit non-zero on any finding.
set -uo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t sources < <(git ls-files '*.cpp' '*.h' | grep -v '^bpf/')
rc=0
clang-format --dry-run --Werror "${sources[@]}" || rc=1
mapfile -t units < <(printf '%s\n' "${sources[@]}" | grep '\.cpp$')
clang-tidy -p "$build" --quiet "${units[@]}" 2>/dev/null || rc=1
exit $rc
