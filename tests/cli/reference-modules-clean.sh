#!/usr/bin/env bash
# kmodlint reports nothing on the reference modules under module/: they use every API it reasons
# about, correctly. Linted together, so the consumer sees the exporter's symbols as a sibling's.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
cp -r "$root/module" "$work/module"
cd "$work"
"$kmodlint" -q --color never module >"$work/out" 2>"$work/err"; status=$?
if [ $status -eq 0 ] && [ ! -s "$work/out" ]; then pass "module/ is clean"
else fail "module/ is clean" "exit $status" "$(cat "$work/out" "$work/err")"; fi
for dir in "$root"/module/*/; do
  name=$(basename "$dir")
  [ "$name" = consumer ] && continue
  "$kmodlint" -q --color never "module/$name" >"$work/out" 2>"$work/err"; status=$?
  if [ $status -eq 0 ]; then pass "module/$name alone is clean"
  else fail "module/$name alone is clean" "exit $status" "$(cat "$work/out" "$work/err")"; fi
done

# Without the exporter (or its Module.symvers through --symvers) the consumer's imports are
# undefined, exactly as modpost says without KBUILD_EXTRA_SYMBOLS.
"$kmodlint" -q --format json module/consumer >"$work/out" 2>"$work/err"; status=$?
if [ $status -eq 1 ] && python3 -c '
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
assert findings and all(f["check"] == "undefined-symbol" and "exporter_" in f["message"] for f in findings), findings
' "$work/out"; then pass "module/consumer alone: only the exporter's symbols are undefined"
else fail "module/consumer alone: only the exporter's symbols are undefined" "exit $status" "$(cat "$work/out")"; fi
finish
