#!/usr/bin/env bash
# --baseline-create / --baseline round trip in JSON and YAML: unrelated edits (lines moved) keep
# the baseline valid, a new finding is reported, a fixed one is listed as stale.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
run() { "$kmodlint" --color never "$@" >"$work/out" 2>"$work/err"; status=$?; }

for format in json yaml; do
  repo="$work/repo-$format"
  mkdir -p "$repo"
  cp -r "$fixtures/missing-module-exit/init-without-exit" "$repo/noexit"
  cp -r "$fixtures/missing-module-license/no-license" "$repo/unlicensed"
  cd "$repo"
  base="kmodlint-baseline.$format"

  run --baseline-create "$base" .
  if [ $status -eq 0 ] && [ -s "$base" ] && [ ! -s "$work/out" ] && grep -q "recorded 2 findings in $base" "$work/err" &&
     ! grep -qE '"line"|^ *-? *line:' "$base"
  then pass "$format: --baseline-create records the findings, without line numbers"
  else fail "$format: --baseline-create" "exit $status" "$(cat "$work/err" "$base")"; fi

  run --baseline "$base" .
  if [ $status -eq 0 ] && [ ! -s "$work/out" ] && grep -q "no findings .*; 2 more in the baseline" "$work/err"
  then pass "$format: same code: nothing new, exit 0"; else fail "$format: same code" "exit $status" "$(cat "$work/out" "$work/err")"; fi

  # An unrelated edit moves every line of both files.
  sed -i '3i /* A comment added above the code,\n * three lines long. */' noexit/noexit.c unlicensed/unlicensed.c
  run --baseline "$base" .
  if [ $status -eq 0 ] && [ ! -s "$work/out" ]; then pass "$format: unrelated edits keep the baseline valid"
  else fail "$format: unrelated edits" "exit $status" "$(cat "$work/out" "$work/err")"; fi

  # A new bug in another module is reported; fixing an old one leaves a stale entry.
  cp -r "$fixtures/missing-module-exit/init-without-exit" "$repo/second"
  sed -i 's/noexit/second/g' second/noexit.c && mv second/noexit.c second/second.c && echo "obj-m := second.o" > second/Kbuild
  printf 'MODULE_LICENSE("GPL");\n' >> unlicensed/unlicensed.c
  run --baseline "$base" .
  if [ $status -eq 1 ] && [ "$(grep -c '\[missing-module-exit\]' "$work/out")" -eq 1 ] && grep -q "^second/second.c:11:1: warning" "$work/out" &&
     grep -q "1 baseline entry matched no finding" "$work/err" && grep -q "unlicensed/unlicensed.c.*\[missing-module-license\]" "$work/err"
  then pass "$format: a new finding is reported, a fixed one is listed as stale"
  else fail "$format: new and stale" "exit $status" "$(cat "$work/out" "$work/err")"; fi
done

# Through a symlinked directory (findings name real paths): entries still match.
ln -s "$work/repo-json" "$work/link"
cd "$work/link"
run --baseline-create "$work/link/again.json" . && run --baseline "$work/link/again.json" .
if [ $status -eq 0 ] && [ ! -s "$work/out" ]; then pass "a baseline in a symlinked directory"
else fail "a baseline in a symlinked directory" "exit $status" "$(cat "$work/out")"; fi
cd "$work"

run --baseline "$work/nope.json" "$work/repo-json"
if [ $status -eq 2 ] && grep -q "nope.json: cannot read this baseline (No such file or directory)" "$work/err"; then pass "a missing baseline exits 2"
else fail "missing baseline" "exit $status" "$(cat "$work/err")"; fi
printf '{"findings": []}\n' > "$work/bad.json"
run --baseline "$work/bad.json" "$work/repo-json"
if [ $status -eq 2 ] && grep -q "not a kmodlint baseline" "$work/err"; then pass "a foreign file is refused"
else fail "foreign baseline" "exit $status" "$(cat "$work/err")"; fi

finish
