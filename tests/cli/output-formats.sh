#!/usr/bin/env bash
# Every output format for a module with findings: exit 1, well-formed output, atomic --output.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixture="$(cd "$(dirname "$0")/../.." && pwd)/fixtures/missing-module-exit/init-without-exit"
cp -r "$fixture" "$work/mod"
cd "$work/mod"

"$kmodlint" --color never . >"$work/text" 2>/dev/null; status=$?
expected_line="noexit.c:11:1: warning: module 'noexit' can never be unloaded: module_init(noexit_init) has no matching module_exit(); add an exit function that undoes noexit_init() [missing-module-exit]"
if [ $status -eq 1 ] && [ "$(head -n1 "$work/text")" = "$expected_line" ] &&
   [ "$(sed -n 2p "$work/text")" = "module_init(noexit_init); /* kmodlint-expect: missing-module-exit */" ] &&
   [ "$(sed -n 3p "$work/text")" = "^" ]; then pass "text"; else fail "text" "exit $status" "$(cat "$work/text")"; fi

"$kmodlint" --color always . >"$work/color" 2>/dev/null
if grep -q $'\033\\[' "$work/color"; then pass "--color always"; else fail "--color always"; fi
if ! grep -q $'\033\\[' "$work/text"; then pass "no colour off a terminal"; else fail "no colour off a terminal"; fi

"$kmodlint" --format json --output "$work/out.json" . 2>/dev/null; status=$?
if [ $status -eq 1 ] && python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
[f] = report["findings"]
assert (f["check"], f["file"], f["line"], f["column"], f["severity"]) == ("missing-module-exit", "noexit.c", 11, 1, "warning"), f
assert report["parse_errors"] == []
' "$work/out.json"; then pass "json"; else fail "json" "exit $status"; fi

"$kmodlint" --format sarif --output "$work/out.sarif" . 2>/dev/null; status=$?
if [ $status -eq 1 ] && python3 -c '
import json, sys
sarif = json.load(open(sys.argv[1]))
assert sarif["version"] == "2.1.0"
run = sarif["runs"][0]
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
assert "missing-module-exit" in rules and rules["missing-module-exit"]["shortDescription"]["text"]
[r] = run["results"]
assert r["ruleId"] == "missing-module-exit" and r["level"] == "warning" and r["message"]["text"]
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "noexit.c", loc
assert loc["region"]["startLine"] == 11
assert r["partialFingerprints"]
' "$work/out.sarif"; then pass "sarif"; else fail "sarif" "exit $status"; fi

"$kmodlint" --format github . >"$work/github" 2>/dev/null; status=$?
if [ $status -eq 1 ] && grep -q '^::warning file=noexit.c,line=11,col=1,title=kmodlint missing-module-exit::module' "$work/github"
then pass "github"; else fail "github" "exit $status" "$(cat "$work/github")"; fi

# Path notes: the branch decisions after the acquire, as note lines, a json "path" and a SARIF
# code flow (lost-resource/ioctl-buffer-on-error: buf leaks when copy_from_user() fails).
cp -r "$(dirname "$fixture")/../lost-resource/ioctl-buffer-on-error" "$work/path"
"$kmodlint" --color never "$work/path" >"$work/path.text" 2>/dev/null; status=$?
expected_notes="$work/path/lrioctl.c:14:8: note: acquired here
$work/path/lrioctl.c:15:6: note: assuming '!buf' is false
$work/path/lrioctl.c:17:6: note: assuming 'copy_from_user(buf, (void __user *)arg, 256)' is true"
if [ $status -eq 1 ] && [ "$(grep ': note: ' "$work/path.text" | sed "s|^\([^/]\)|$PWD/\1|")" = "$expected_notes" ]; then
  pass "path notes in text"; else fail "path notes in text" "exit $status" "$(cat "$work/path.text")"; fi
"$kmodlint" --format json --output "$work/path.json" "$work/path" 2>/dev/null
"$kmodlint" --format sarif --output "$work/path.sarif" "$work/path" 2>/dev/null
if python3 -c '
import json, sys
[f] = json.load(open(sys.argv[1]))["findings"]
assert [(s["line"], s["message"]) for s in f["path"]] == [
    (15, "assuming \x27!buf\x27 is false"),
    (17, "assuming \x27copy_from_user(buf, (void __user *)arg, 256)\x27 is true")], f["path"]
[r] = json.load(open(sys.argv[2]))["runs"][0]["results"]
[flow] = r["codeFlows"]
steps = [(l["location"]["physicalLocation"]["region"]["startLine"], l["importance"])
         for l in flow["threadFlows"][0]["locations"]]
assert steps == [(15, "important"), (17, "important"), (18, "essential")], steps
' "$work/path.json" "$work/path.sarif"; then pass "path notes in json and sarif"; else fail "path notes in json and sarif"; fi

cd "$work" && make_module "$work/clean" clean
"$kmodlint" "$work/clean" >"$work/clean.out" 2>/dev/null; status=$?
if [ $status -eq 0 ] && [ ! -s "$work/clean.out" ]; then pass "clean module exits 0"; else fail "clean module exits 0" "exit $status"; fi

"$kmodlint" --print-compile-command "$work/clean/clean.c" >"$work/cmd" 2>/dev/null; status=$?
if [ $status -eq 0 ] && grep -q "clang-19 -fsyntax-only .*-nostdinc.*-D__KERNEL__.*-DKBUILD_MODNAME=.*clean.c$" "$work/cmd"; then
  if (eval "$(cat "$work/cmd")") >/dev/null 2>&1; then pass "--print-compile-command reproduces the parse"
  else fail "--print-compile-command reproduces the parse" "$(cat "$work/cmd")"; fi
else fail "--print-compile-command" "exit $status" "$(cat "$work/cmd")"; fi

"$kmodlint" --list-checks >"$work/list"; status=$?
if [ $status -eq 0 ] && grep -qP '^missing-module-exit\tmodule\twarning\t' "$work/list"; then pass "--list-checks"
else fail "--list-checks" "$(cat "$work/list")"; fi

finish
