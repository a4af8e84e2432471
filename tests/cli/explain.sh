#!/usr/bin/env bash
# --explain CHECK prints docs/checks/CHECK.md for every registered check; each page has the
# sections a user needs.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
"$kmodlint" --list-checks | cut -f1 > "$work/ids"
[ -s "$work/ids" ] || fail "--list-checks lists checks"
while read -r id; do
  "$kmodlint" --explain "$id" >"$work/page" 2>"$work/err"; status=$?
  missing=()
  for section in "# $id" "## What it finds" "## Why it matters" "## Example" "## Suppress"; do
    grep -q "^$section" "$work/page" || missing+=("$section")
  done
  grep -q "kmodlint-disable" "$work/page" || missing+=("a kmodlint-disable example")
  if [ $status -eq 0 ] && [ ${#missing[@]} -eq 0 ]; then pass "--explain $id"
  else fail "--explain $id" "exit $status; missing: ${missing[*]}" "$(cat "$work/err")"; fi
done < "$work/ids"
"$kmodlint" --explain no-such-check >/dev/null 2>"$work/err"; status=$?
if [ $status -eq 2 ] && grep -q "unknown check 'no-such-check'" "$work/err"; then pass "--explain of an unknown check exits 2"
else fail "--explain unknown" "exit $status"; fi
finish
