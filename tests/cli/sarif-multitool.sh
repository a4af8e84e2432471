#!/usr/bin/env bash
# kmodlint's SARIF, validated by Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool):
# a report with findings, notes, a fix-it, a suppression problem and a parse error; no errors.
# The tool is installed once into BUILD/npm (later runs work offline).
set -u
kmodlint=$1
build=$2
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
multitool=$("$(dirname "$0")/../../scripts/sarif-multitool.sh" "$build/npm") || {
  fail "SARIF Multitool is installed" "scripts/sarif-multitool.sh $build/npm failed"; finish; exit; }

mkdir -p "$work/repo"
cp -r "$fixtures/missing-module-exit/init-without-exit" "$work/repo/noexit"
cp -r "$fixtures/missing-module-license/no-license" "$work/repo/unlicensed"
make_module "$work/repo/odd" odd
printf 'static int x; /* kmodlint-disable-line no-such-check */\n' >> "$work/repo/odd/odd.c"
make_module "$work/repo/broken" broken
printf 'static int oops(void) { return 0 }\n' >> "$work/repo/broken/broken.c"
cd "$work/repo"
"$kmodlint" --format sarif -o "$work/report.sarif" . 2>/dev/null; status=$?
if [ $status -eq 2 ] && python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
ids = sorted(r["ruleId"] for r in run["results"])
assert ids == ["missing-module-exit", "missing-module-license", "suppression-problem"], ids
[lic] = [r for r in run["results"] if r["ruleId"] == "missing-module-license"]
assert lic["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "\nMODULE_LICENSE(\"GPL\");"
assert run["invocations"][0]["toolExecutionNotifications"], "parse error"
' "$work/report.sarif"; then pass "the report has results, a fix and a notification"
else fail "the report has results, a fix and a notification" "exit $status"; fi

validate() {  # NAME FILE
  rm -f "$work/validation.sarif"
  "$multitool" validate "$2" --output "$work/validation.sarif" >"$work/validate.log" 2>&1; local status=$?
  local errors
  errors=$(python3 -c '
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
print(sum(1 for run in runs for r in run.get("results", []) if r.get("level", "warning") == "error"))
' "$work/validation.sarif" 2>/dev/null || echo unreadable)
  if [ $status -eq 0 ] && [ "$errors" = 0 ] && ! grep -q ": error " "$work/validate.log"; then pass "$1"
  else fail "$1" "exit $status, errors: $errors" "$(cat "$work/validate.log")"; fi
}
validate "SARIF Multitool validates the report with no errors" "$work/report.sarif"

"$kmodlint" --format sarif -o "$work/clean.sarif" "$work/repo/odd" --checks=-suppression-problem 2>/dev/null
validate "SARIF Multitool validates an empty report" "$work/clean.sarif"

# The validator does catch errors (so the checks above mean something): a line 0.
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
json.dump(s, open(sys.argv[2], "w"), indent=2)' "$work/report.sarif" "$work/broken.sarif"
rm -f "$work/validation.sarif"
"$multitool" validate "$work/broken.sarif" --output "$work/validation.sarif" >"$work/validate.log" 2>&1
if grep -q "error JSON1008: .*startLine: 0 is less than the minimum" "$work/validate.log"; then pass "the validator rejects a broken file"
else fail "the validator rejects a broken file" "$(cat "$work/validate.log")"; fi

finish
