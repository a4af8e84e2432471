#!/usr/bin/env bash
# --diff-base REV: the whole module is analysed, only findings on lines changed since REV are shown.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
run() { "$kmodlint" --color never "$@" >"$work/out" 2>"$work/err"; status=$?; }

repo="$work/repo"
mkdir -p "$repo"
cp -r "$fixtures/missing-module-exit/init-without-exit" "$repo/noexit"
cd "$repo"
git init -q . && git config user.email t@example.invalid && git config user.name test
git add -A && git commit -qm "old code with a known finding"

run --diff-base HEAD .
if [ $status -eq 0 ] && [ ! -s "$work/out" ]; then pass "nothing changed: nothing reported"
else fail "nothing changed" "exit $status" "$(cat "$work/out" "$work/err")"; fi

# A new module in the same tree with the same bug, and an unrelated edit to the old one.
make_module "$repo/fresh" fresh
sed -i '/module_exit/d' fresh/fresh.c
sed -i '1a // an unrelated comment' noexit/noexit.c
git add -A  # git diff REV compares the work tree with REV: tracked files only
run --diff-base HEAD .
if [ $status -eq 1 ] && grep -q "^fresh/fresh.c:5:1: warning: .*\[missing-module-exit\]" "$work/out" &&
   [ "$(grep -c '\[missing-module-exit\]' "$work/out")" -eq 1 ]
then pass "only the finding on a changed line is reported"
else fail "changed lines" "exit $status" "$(cat "$work/out" "$work/err")"; fi

run --diff-base no-such-rev .
if [ $status -eq 2 ] && grep -q "'no-such-rev' is not a commit" "$work/err"; then pass "an unknown revision exits 2"
else fail "unknown revision" "exit $status" "$(cat "$work/err")"; fi
cd "$work" && mkdir -p norepo && make_module "$work/norepo/m" m
run --diff-base HEAD "$work/norepo/m"
if [ $status -eq 2 ] && grep -q "needs a git repository" "$work/err"; then pass "outside a repository exits 2"
else fail "outside a repository" "exit $status" "$(cat "$work/err")"; fi

finish
