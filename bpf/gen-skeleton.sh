#!/bin/sh
# Generates a libbpf skeleton header. bpftool 7.5 (built against libbpf 1.5) writes
# "map->link = ..." for struct_ops maps, a member libbpf 1.4's struct bpf_map_skeleton lacks;
# the core attaches struct_ops maps itself (bpf_map__attach_struct_ops), so that line goes.
# The header is bpftool's code, not ours: clang-tidy is told to leave it alone (its analyzer
# reports a leak on the error path of the skeleton's open, where the object owns the memory).
# Usage: gen-skeleton.sh BPFTOOL OBJECT NAME OUTPUT
set -e
{
    echo '// NOLINTBEGIN'
    "$1" gen skeleton "$2" name "$3" | sed '/map->link = /d'
    echo '// NOLINTEND'
} > "$4.tmp"
mv "$4.tmp" "$4"
