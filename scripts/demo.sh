#!/usr/bin/env bash
# Quick start, first command: builds kmodlint, then lints the reference module (clean) and one
# bad fixture (a module that can never be unloaded), printing their findings.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root"

echo "== kmodlint module/refchar (the reference module: expect no findings)"
set +e
build/kmodlint module/refchar
clean_status=$?
echo "== kmodlint fixtures/missing-module-exit/init-without-exit (a seeded bug: expect a finding)"
build/kmodlint fixtures/missing-module-exit/init-without-exit
bad_status=$?
set -e
echo "== exit statuses: reference module $clean_status (0 = clean), bad fixture $bad_status (1 = findings)"
[ "$clean_status" -eq 0 ] && [ "$bad_status" -eq 1 ]
