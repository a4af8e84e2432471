#!/usr/bin/env bash
# .kmodlint.yaml: checks, severity, exclude, fail-on, inherit; the command line overrides;
# --config, --dump-config, --verify-config; exit codes 0 / 1 / 2 and --exit-zero.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"

# A repository with two modules: noexit (missing-module-exit, a warning) and unlicensed
# (missing-module-license, an error).
repo="$work/repo"
mkdir -p "$repo"
cp -r "$fixtures/missing-module-exit/init-without-exit" "$repo/noexit"
cp -r "$fixtures/missing-module-license/no-license" "$repo/unlicensed"
cd "$repo"

run() { "$kmodlint" --color never "$@" >"$work/out" 2>"$work/err"; status=$?; }
checks_in() { sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' "$work/out" | sort -u | tr '\n' ' '; }

run .
if [ $status -eq 1 ] && [ "$(checks_in)" = "missing-module-exit missing-module-license " ]; then pass "no configuration: every check"
else fail "no configuration: every check" "exit $status" "$(cat "$work/out" "$work/err")"; fi

cat > .kmodlint.yaml <<'EOY'
checks: ["*", "-missing-module-license"]
severity: {missing-module-exit: error}
EOY
run .
if [ $status -eq 1 ] && [ "$(checks_in)" = "missing-module-exit " ] && grep -q "noexit.c:11:1: error: " "$work/out"
then pass "checks globs and severity from the file"; else fail "checks globs and severity from the file" "exit $status" "$(cat "$work/out" "$work/err")"; fi

run --checks=missing-module-license .
if [ "$(checks_in)" = "missing-module-exit missing-module-license " ]; then pass "--checks re-enables after the file"
else fail "--checks re-enables after the file" "$(cat "$work/out")"; fi
run --checks='-*,missing-module-license' .
if [ "$(checks_in)" = "missing-module-license " ]; then pass "--checks '-*,one'"
else fail "--checks '-*,one'" "$(cat "$work/out")"; fi

# fail-on: the exit code turns 1 only at or above the level.
printf 'checks: ["-missing-module-license"]\nfail-on: error\n' > .kmodlint.yaml
run noexit
if [ $status -eq 0 ] && grep -q "warning: " "$work/out"; then pass "fail-on error: a warning exits 0"
else fail "fail-on error: a warning exits 0" "exit $status"; fi
run --fail-on warning noexit
if [ $status -eq 1 ]; then pass "--fail-on overrides the file"; else fail "--fail-on overrides the file" "exit $status"; fi
run --fail-on warning --exit-zero noexit
if [ $status -eq 0 ] && [ -s "$work/out" ]; then pass "--exit-zero reports and exits 0"; else fail "--exit-zero" "exit $status"; fi
run --fail-on sometimes noexit
if [ $status -eq 2 ] && grep -q "fail-on takes error, warning, note or bugs" "$work/err"; then pass "bad --fail-on exits 2"
else fail "bad --fail-on exits 2" "exit $status"; fi

# Style findings (global-should-be-static) come after the bugs, are counted apart, and
# --fail-on bugs / fail-on: bugs ignores them.
styled="$work/styled"
mkdir -p "$styled"
cp -r "$fixtures/missing-module-exit/init-without-exit" "$styled/noexit"
cp -r "$fixtures/global-should-be-static/undeclared-helper" "$styled/loose"
(cd "$styled" && "$kmodlint" --color never . >"$work/out" 2>"$work/err"); status=$?
order=$(sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' "$work/out" | tr '\n' ' ')
if [ $status -eq 1 ] && [ "$order" = "missing-module-exit global-should-be-static global-should-be-static " ] &&
   grep -q "^kmodlint: 1 warning, 2 style findings in 2 files of 2 modules" "$work/err"
then pass "style findings after the bugs, counted apart"
else fail "style findings after the bugs, counted apart" "exit $status" "$order" "$(cat "$work/err")"; fi
(cd "$styled" && "$kmodlint" --color never --fail-on bugs loose >"$work/out" 2>"$work/err"); status=$?
if [ $status -eq 0 ] && grep -q "\[global-should-be-static\]" "$work/out" && grep -q "^kmodlint: 2 style findings in 1 file of 1 module" "$work/err"
then pass "--fail-on bugs: style findings shown, exit 0"; else fail "--fail-on bugs: style findings shown, exit 0" "exit $status" "$(cat "$work/err")"; fi
(cd "$styled" && "$kmodlint" --color never --fail-on bugs . >"$work/out" 2>"$work/err"); status=$?
if [ $status -eq 1 ]; then pass "--fail-on bugs: a bug exits 1"; else fail "--fail-on bugs: a bug exits 1" "exit $status"; fi
printf 'fail-on: bugs\n' > "$styled/.kmodlint.yaml"
(cd "$styled" && "$kmodlint" --color never --format json loose >"$work/out" 2>"$work/err"); status=$?
if [ $status -eq 0 ] && grep -q '"category": *"style"' "$work/out"
then pass "fail-on: bugs in .kmodlint.yaml; JSON category"; else fail "fail-on: bugs in .kmodlint.yaml; JSON category" "exit $status" "$(head -c 600 "$work/out")"; fi
(cd "$styled" && "$kmodlint" --dump-config loose/loose.c >"$work/out" 2>"$work/err")
if grep -q "^fail-on: bugs" "$work/out"; then pass "--dump-config shows fail-on: bugs"; else fail "--dump-config shows fail-on: bugs" "$(cat "$work/out")"; fi

# exclude and inherit: a nested file inherits the root's and adds its own.
printf 'exclude: ["unlicensed"]\n' > .kmodlint.yaml
run .
if [ "$(checks_in)" = "missing-module-exit " ]; then pass "exclude a directory"; else fail "exclude a directory" "$(cat "$work/out")"; fi
printf 'checks: ["-missing-module-license"]\nseverity: {missing-module-exit: note}\n' > .kmodlint.yaml
printf 'inherit: true\nseverity: {missing-module-exit: error}\n' > noexit/.kmodlint.yaml
printf 'severity: {missing-module-exit: error}\n' > unlicensed/.kmodlint.yaml
run .
if grep -q "noexit.c:11:1: error:" "$work/out" && grep -q "unlicensed.c:.*missing-module-license" "$work/out" &&
   ! grep -q "noexit.*missing-module-license" "$work/out"
then pass "nearest file per directory, inherit merges the parent"; else fail "nearest file, inherit" "$(cat "$work/out")"; fi

run --dump-config noexit/noexit.c
if [ $status -eq 0 ] && grep -q "missing-module-exit: error" "$work/out" && grep -q "disabled-checks: \[missing-module-license, unreleased-callback-resource\]" "$work/out" &&
   grep -q "$repo/.kmodlint.yaml" "$work/out" && grep -q "$repo/noexit/.kmodlint.yaml" "$work/out"
then pass "--dump-config shows the merged configuration"; else fail "--dump-config" "$(cat "$work/out" "$work/err")"; fi

printf 'checks: ["-missing-module-exit"]\n' > "$work/other.yaml"
run --config "$work/other.yaml" .
if [ "$(checks_in)" = "missing-module-license " ]; then pass "--config replaces the search"; else fail "--config" "$(cat "$work/out")"; fi

# Errors: exit 2 naming the file and line.
printf 'checks: ["*"]\nseverty: {missing-module-exit: error}\noptions:\n  no-such-check: {x: 1}\n' > noexit/.kmodlint.yaml
run --verify-config noexit/.kmodlint.yaml
if [ $status -eq 2 ] && grep -q "noexit/.kmodlint.yaml:2: unknown key 'severty'" "$work/err" &&
   grep -q "noexit/.kmodlint.yaml:4: key 'options': unknown check 'no-such-check'" "$work/err"
then pass "--verify-config lists every problem with its line"; else fail "--verify-config" "exit $status" "$(cat "$work/err")"; fi
run .
if [ $status -eq 2 ] && grep -q "kmodlint: .*noexit/.kmodlint.yaml:2: unknown key 'severty'" "$work/err" && [ ! -s "$work/out" ]
then pass "a bad configuration stops the run with exit 2"; else fail "bad configuration exits 2" "exit $status" "$(cat "$work/err")"; fi
printf 'checks: ["*"]\n' > noexit/.kmodlint.yaml
run --verify-config noexit/.kmodlint.yaml
if [ $status -eq 0 ] && grep -q "ok" "$work/out"; then pass "--verify-config of a good file"; else fail "--verify-config good" "$(cat "$work/err")"; fi
run --checks=no-such-check .
if [ $status -eq 2 ] && grep -q "no-such-check' matches no check" "$work/err"; then pass "unknown --checks name exits 2"
else fail "unknown --checks name" "exit $status" "$(cat "$work/err")"; fi

# Exit codes: 0 clean.
rm -f .kmodlint.yaml noexit/.kmodlint.yaml unlicensed/.kmodlint.yaml
make_module "$work/clean" tidy
run "$work/clean"
if [ $status -eq 0 ] && [ ! -s "$work/out" ]; then pass "exit 0 when clean"; else fail "exit 0 when clean" "exit $status"; fi

finish
