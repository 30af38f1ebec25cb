#!/bin/bash
# Seed corpus of the rule parser fuzzer: the shipped rules.d files. usage: seed-rules.sh DIRECTORY
set -euo pipefail
cp "$(dirname "$0")"/../../helpers/detect/rules.d/*.json "$1"/
echo "$(ls "$1" | wc -l) seeds written to $1"
