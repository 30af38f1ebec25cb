#!/bin/bash
# clang-format (check only) and clang-tidy over the C++ sources. Exit non-zero on any finding.
#
# clang-tidy reads each source's compile command from BUILD_DIR's compile database, so BUILD_DIR
# is a build of its own without unity (./run build compiles sources in groups, and its database
# names the groups, not the sources). Only what the sources include from the build is generated
# there (the sdbus-c++ adaptors and proxies, the BPF skeletons): nothing is compiled.
#
# Usage: lint.sh BUILD_DIR
set -uo pipefail
build=$1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [[ ! -f $build/build.ninja ]]; then
    meson setup "$build" "$root" --buildtype=debug -Dwerror=true -Dunity=off > /dev/null || exit 1
fi
mapfile -t generated < <(meson introspect --targets "$build" | python3 -c '
import json, sys
for target in json.load(sys.stdin):
    if target["type"] == "custom":
        print("\n".join(f for f in target["filename"] if f.endswith(".h")))' |
    xargs -r realpath --relative-to="$build")
if ((${#generated[@]})); then
    ninja -C "$build" "${generated[@]}" > /dev/null || exit 1
fi
mapfile -t sources < <(git ls-files '*.cpp' '*.h' | grep -v '^bpf/')
rc=0
clang-format --dry-run --Werror "${sources[@]}" || rc=1
mapfile -t units < <(printf '%s\n' "${sources[@]}" | grep '\.cpp$')
clang-tidy -p "$build" --quiet "${units[@]}" 2>/dev/null || rc=1
exit $rc
