#!/usr/bin/env bash
# Every suppression form, on findings reported at macro lines (module_init(x); and a project macro
# that expands to module_init), and the problems kmodlint reports about suppressions.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"

# noexit_module DIR NAME BODY: a module with module_init and no module_exit; BODY is its tail.
noexit_module() {
  mkdir -p "$1"
  echo "obj-m := $2.o" > "$1/Kbuild"
  { printf '#include <linux/init.h>\n#include <linux/module.h>\n'
    printf 'static int __init %s_init(void) { return 0; }\n' "$2"
    printf '%s\n' "$3"
    printf 'MODULE_LICENSE("GPL");\n'; } > "$1/$2.c"
}
run() { "$kmodlint" --color never "$@" >"$work/out" 2>"$work/err"; status=$?; }
expect_clean() {  # NAME DIR [args]
  local name=$1; shift
  run "$@"
  if [ $status -eq 0 ] && [ ! -s "$work/out" ]; then pass "$name"; else fail "$name" "exit $status" "$(cat "$work/out" "$work/err")"; fi
}

noexit_module "$work/line" line 'module_init(line_init); /* kmodlint-disable-line missing-module-exit */'
expect_clean "disable-line on the module_init(x); macro line" "$work/line"
run --no-suppressions "$work/line"
if [ $status -eq 1 ] && grep -q "line.c:4:1: warning: .*\[missing-module-exit\]" "$work/out"; then pass "--no-suppressions ignores them"
else fail "--no-suppressions" "exit $status" "$(cat "$work/out")"; fi

noexit_module "$work/trailing" trailing 'module_init(trailing_init); // kmodlint-disable-line missing-module-exit -- stays loaded'
expect_clean "trailing // disable-line with a reason" "$work/trailing"

noexit_module "$work/next" next '/* kmodlint-disable-next-line missing-module-license, missing-module-exit */
module_init(next_init);'
expect_clean "disable-next-line with two ids" "$work/next"

noexit_module "$work/range" range '/* kmodlint-disable missing-module-exit */
module_init(range_init);
/* kmodlint-enable missing-module-exit */'
expect_clean "disable ... enable range" "$work/range"

noexit_module "$work/whole" whole '/* kmodlint-disable-file missing-module-exit */
module_init(whole_init);'
expect_clean "disable-file" "$work/whole"

# A project macro defined in a header expands to module_init: the finding is reported at the
# expansion line in the .c file, where the suppression is written.
mkdir -p "$work/macro"
printf '#define SIMPLE_MODULE(fn) module_init(fn)\n' > "$work/macro/helpers.h"
noexit_module "$work/macro" macro '#include "helpers.h"
SIMPLE_MODULE(macro_init);'
run --no-suppressions "$work/macro"
if grep -q "macro.c:5:1: warning: .*\[missing-module-exit\]" "$work/out"; then pass "a finding inside a project macro is at its expansion line"
else fail "finding inside a project macro" "$(cat "$work/out")"; fi
sed -i 's|^SIMPLE_MODULE(macro_init);|SIMPLE_MODULE(macro_init); /* kmodlint-disable-line missing-module-exit */|' "$work/macro/macro.c"
expect_clean "disable-line on a project macro line" "$work/macro"

noexit_module "$work/string" string 'static const char *s = "/* kmodlint-disable-next-line missing-module-exit */";
module_init(string_init);'
run "$work/string"
if [ $status -eq 1 ] && grep -q "missing-module-exit" "$work/out"; then pass "a suppression inside a string does not count"
else fail "suppression inside a string" "$(cat "$work/out")"; fi

# Problems: unknown ids, unmatched ranges, unused suppressions (opt-in).
make_module "$work/problems" problems
cat >> "$work/problems/problems.c" <<'EOC'
static int a; /* kmodlint-disable-line missing-modul-exit */
/* kmodlint-enable missing-module-exit */
/* kmodlint-disable missing-module-license */
static int b; // kmodlint-disable-line missing-module-exit
EOC
run "$work/problems"
if [ $status -eq 1 ] &&
   grep -q "problems.c:8:15: warning: kmodlint-disable-line names unknown check 'missing-modul-exit'.*\[suppression-problem\]" "$work/out" &&
   grep -q "problems.c:9:1: warning: kmodlint-enable missing-module-exit has no kmodlint-disable" "$work/out" &&
   grep -q "problems.c:10:1: warning: kmodlint-disable missing-module-license has no matching kmodlint-enable" "$work/out" &&
   [ "$(grep -c suppression-problem "$work/out")" -eq 3 ]
then pass "unknown id and unmatched disable/enable are suppression-problem findings"
else fail "suppression problems" "exit $status" "$(cat "$work/out")"; fi
run --report-unused-suppressions "$work/problems"
if grep -q "problems.c:11:15: warning: kmodlint-disable-line missing-module-exit silences nothing here; remove it \[suppression-problem\]" "$work/out"
then pass "--report-unused-suppressions"; else fail "--report-unused-suppressions" "$(cat "$work/out")"; fi
run --report-unused-suppressions "$work/line"
if [ $status -eq 0 ]; then pass "a used suppression is not reported as unused"; else fail "used suppression" "$(cat "$work/out")"; fi
run --checks=-suppression-problem "$work/problems"
if [ $status -eq 0 ]; then pass "suppression-problem can be disabled like a check"; else fail "disable suppression-problem" "$(cat "$work/out")"; fi

finish
