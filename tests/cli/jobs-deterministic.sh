#!/usr/bin/env bash
# The report is byte-identical whatever -j is.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
cp -r "$fixtures/missing-module-exit" "$fixtures/missing-module-license" "$work/"
cd "$work"
"$kmodlint" -j1 --format json missing-module-exit missing-module-license >"$work/j1.json" 2>/dev/null
"$kmodlint" -j4 --format json missing-module-exit missing-module-license >"$work/j4.json" 2>/dev/null
count=$(grep -c '"check"' "$work/j1.json")
if [ "$count" -ge 4 ] && cmp -s "$work/j1.json" "$work/j4.json"; then pass "-j1 and -j4 agree ($count findings)"
else fail "-j1 and -j4 agree" "$(diff "$work/j1.json" "$work/j4.json" | head)"; fi
finish
