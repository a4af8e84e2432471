#!/usr/bin/env bash
# A run ends with a summary line on stderr; -q prints findings only; on a terminal, progress
# lines [i/N] are drawn on stderr (never on stdout, never off a terminal).
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
mkdir -p "$work/repo"
cp -r "$fixtures/missing-module-exit/init-without-exit" "$work/repo/noexit"
cp -r "$fixtures/missing-module-license/no-license" "$work/repo/unlicensed"
make_module "$work/repo/tidy" tidy
cd "$work/repo"

"$kmodlint" --color never . >"$work/out" 2>"$work/err"; status=$?
if [ $status -eq 1 ] && grep -qE '^kmodlint: 1 error, 1 warning in 3 files of 3 modules \([0-9.]+ s\)$' "$work/err" &&
   ! grep -q "^kmodlint: " "$work/out"
then pass "summary line on stderr"; else fail "summary line" "$(cat "$work/err")"; fi
"$kmodlint" --color never tidy >"$work/out" 2>"$work/err"
if grep -qE '^kmodlint: no findings in 1 file of 1 module' "$work/err"; then pass "summary of a clean run"
else fail "summary of a clean run" "$(cat "$work/err")"; fi
"$kmodlint" -q --color never . >"$work/out" 2>"$work/err"
if [ ! -s "$work/err" ] && [ "$(grep -c '^\S*:[0-9]*:[0-9]*: ' "$work/out")" -eq 2 ]; then pass "-q prints findings only"
else fail "-q" "$(cat "$work/err")"; fi
if ! grep -q '\[[0-9]*/[0-9]*\]' "$work/err"; then pass "no progress off a terminal"; else fail "no progress off a terminal"; fi

# On a terminal (script(1) gives the run a pseudo-terminal): progress on stderr.
if command -v script >/dev/null; then
  script -qec "'$kmodlint' --color never -j1 . >'$work/tty-out'" "$work/typescript" >/dev/null 2>&1
  if grep -q '\[1/3\] ' "$work/typescript" && grep -q '\[3/3\] ' "$work/typescript" && ! grep -q '\[1/3\]' "$work/tty-out"
  then pass "progress [i/N] on a terminal's stderr"; else fail "progress on a terminal" "$(cat -v "$work/typescript" | head -5)"; fi
fi

# Naming one .c file lints its module only: the other modules of the same Kbuild file (one of them
# does not even parse) are not parsed.
make_module "$work/many" first
make_module "$work/many-second" second && mv "$work/many-second/second.c" "$work/many/" && rm -rf "$work/many-second"
echo 'int broken = ;' > "$work/many/broken.c"
echo 'obj-m := first.o second.o broken.o' > "$work/many/Kbuild"
"$kmodlint" "$work/many/first.c" >"$work/stdout" 2>"$work/stderr"
status=$?
if [ $status -ne 0 ]; then fail "one named file: its module only" "exit $status" "$(cat "$work/stderr")"
elif ! grep -q "no findings in 1 file of 1 module" "$work/stderr"; then fail "one named file: its module only" "$(cat "$work/stderr")"
else pass "one named file: its module only"; fi


# The dry run sees the module directory as $(PWD), wherever kmodlint is started: a Kbuild file
# with -I$(PWD)/include parses from the module directory and from elsewhere alike.
make_module "$work/pwd" pwdmod
mkdir -p "$work/pwd/include"
echo '#define PWDMOD_VALUE 0' > "$work/pwd/include/pwdmod.h"
echo 'ccflags-y := -I$(PWD)/include' >> "$work/pwd/Kbuild"
sed -i 's|#include <linux/module.h>|#include <linux/module.h>\n#include <pwdmod.h>|; s|return 0; }|return PWDMOD_VALUE; }|' "$work/pwd/pwdmod.c"
(cd "$work/pwd" && "$kmodlint" --format json -o "$work/pwd-here.json" .) >/dev/null 2>"$work/stderr-here"
status_here=$?
(cd / && "$kmodlint" --format json -o "$work/pwd-root.json" "$work/pwd") >/dev/null 2>"$work/stderr-root"
status_root=$?
if [ $status_here -ne 0 ] || [ $status_root -ne 0 ]; then
  fail "\$(PWD) is the module directory" "exit $status_here from the module directory, $status_root from /" "$(cat "$work/stderr-root")"
elif ! cmp -s "$work/pwd-here.json" "$work/pwd-root.json"; then fail "\$(PWD) is the module directory" "the reports differ"
else pass "\$(PWD) is the module directory"; fi


# What Kbuild does not build is not a module: beside a module directory, a userspace tool and an
# example with no Kbuild file are skipped (-v says so); in a tree with no Kbuild file at all, a
# kernel file is a single-file module and a userspace program is skipped.
make_module "$work/builtonly/module" repomod
mkdir -p "$work/builtonly/tools" "$work/builtonly/examples"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > "$work/builtonly/tools/tool.c"
cp "$work/builtonly/module/repomod.c" "$work/builtonly/examples/example.c"
"$kmodlint" -v "$work/builtonly" >"$work/stdout" 2>"$work/stderr"
status=$?
if [ $status -ne 0 ] || ! grep -q "no findings in 1 file of 1 module" "$work/stderr"; then
  fail "only what Kbuild builds" "exit $status" "$(cat "$work/stderr")"
elif ! grep -q "tools/tool.c: skipped: no Kbuild file of this tree builds it" "$work/stderr"; then
  fail "only what Kbuild builds" "-v does not name the skipped tool" "$(cat "$work/stderr")"
else pass "only what Kbuild builds"; fi
mkdir -p "$work/loose"
cp "$work/builtonly/module/repomod.c" "$work/loose/teach.c"
cp "$work/builtonly/tools/tool.c" "$work/loose/tool.c"
"$kmodlint" -v "$work/loose" >"$work/stdout" 2>"$work/stderr"
status=$?
if [ $status -ne 0 ] || ! grep -q "no findings in 1 file of 1 module" "$work/stderr" ||
   ! grep -q "tool.c: skipped: a userspace program" "$work/stderr"; then
  fail "no Kbuild: kernel files only" "exit $status" "$(cat "$work/stderr")"
else pass "no Kbuild: kernel files only"; fi

# The json and sarif reports are the same from the package root, from the module directory and
# from elsewhere: their paths are relative to the tree's root (here the dkms.conf directory).
pkg="$work/samepkg"
mkdir -p "$pkg/src"
cp "$fixtures/missing-module-exit/init-without-exit/noexit.c" "$pkg/src/hello.c"
printf 'obj-m := hello.o\n' > "$pkg/src/Kbuild"
printf 'PACKAGE_NAME=hello\nPACKAGE_VERSION=1\nBUILT_MODULE_NAME[0]=hello\nBUILT_MODULE_LOCATION[0]=src/\n' > "$pkg/dkms.conf"
same=yes
for format in json sarif; do
  (cd "$pkg" && "$kmodlint" --no-make --format $format -o "$work/root.$format" . 2>/dev/null)
  (cd "$pkg/src" && "$kmodlint" --no-make --format $format -o "$work/module.$format" . 2>/dev/null)
  (cd "$work" && "$kmodlint" --no-make --format $format -o "$work/elsewhere.$format" "$pkg" 2>/dev/null)
  cmp -s "$work/root.$format" "$work/module.$format" && cmp -s "$work/root.$format" "$work/elsewhere.$format" || same=no
done
if [ $same = yes ] && grep -q '"file": "src/hello.c"' "$work/root.json"; then pass "json and sarif reports from any working directory"
else fail "json and sarif reports from any working directory" "$(diff "$work/root.json" "$work/module.json" | head -5)"; fi

# Code reached through #include is the module's: a header found through -I$(src)/../include
# declares the shared function (no global-should-be-static) and holds MODULE_LICENSE (no
# missing-module-license), and a .c file that wrap.c
# #includes defines and exports a helper (no undefined-symbol); impl.c is not linted alone.
inc="$work/included"
mkdir -p "$inc/include" "$inc/mod"
printf '#include <linux/module.h>\nint incmod_shared(int x);\nint incmod_helper(int x);\nMODULE_LICENSE("GPL");\n' > "$inc/include/incmod.h"
printf 'ccflags-y := -I$(src)/../include\nobj-m := incmod.o\nincmod-objs := main.o wrap.o\n' > "$inc/mod/Kbuild"
cat > "$inc/mod/main.c" <<'EOC'
#include <linux/module.h>
#include "incmod.h"

int incmod_shared(int x)
{
	return incmod_helper(x) + 1;
}

static int __init incmod_init(void)
{
	return incmod_shared(0) == 1 ? 0 : -EINVAL;
}

static void __exit incmod_exit(void)
{
}

module_init(incmod_init);
module_exit(incmod_exit);
EOC
printf '#include "impl.c"\n' > "$inc/mod/wrap.c"
printf '#include <linux/module.h>\n#include "incmod.h"\n\nint incmod_helper(int x)\n{\n\treturn x * 2;\n}\nEXPORT_SYMBOL_GPL(incmod_helper);\n' > "$inc/mod/impl.c"
for mode in make no-make; do
  flag=$([ $mode = no-make ] && echo --no-make)
  "$kmodlint" --color never $flag "$inc" >"$work/stdout" 2>"$work/stderr"; status=$?
  if [ $status -eq 0 ] && grep -q "^kmodlint: no findings in 2 files of 1 module" "$work/stderr"
  then pass "included .c and -I'd header are the module's ($mode)"
  else fail "included .c and -I'd header are the module's ($mode)" "exit $status" "$(cat "$work/stdout" "$work/stderr")"; fi
done
# gost-crypto's shape: a header of the module defines a table (external linkage) and exports it;
# main.c includes it, so main.o defines and exports the table that wrap.c's impl.c uses.
printf '#include <linux/export.h>\nconst int incmod_table[2] = { 3, 5 };\nEXPORT_SYMBOL_GPL(incmod_table);\n' > "$inc/include/incmod_table.h"
printf 'extern const int incmod_table[2];\n' >> "$inc/include/incmod.h"
sed -i 's/#include "incmod.h"/#include "incmod.h"\n#include "incmod_table.h"/' "$inc/mod/main.c"
sed -i 's/return x \* 2;/return x * incmod_table[0];/' "$inc/mod/impl.c"
for mode in make no-make; do
  flag=$([ $mode = no-make ] && echo --no-make)
  "$kmodlint" --color never $flag "$inc" >"$work/stdout" 2>"$work/stderr"; status=$?
  if [ $status -eq 0 ] && grep -q "^kmodlint: no findings in 2 files of 1 module" "$work/stderr"
  then pass "a header of the module that defines and exports a table ($mode)"
  else fail "a header of the module that defines and exports a table ($mode)" "exit $status" "$(cat "$work/stdout" "$work/stderr")"; fi
done

finish
