#!/usr/bin/env bash
# Fix-its: shown in text output, applied by --fix (missing-module-license's MODULE_LICENSE("GPL")
# line); the fixed module is clean and still builds with Kbuild.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
run() { "$kmodlint" --color never "$@" >"$work/out" 2>"$work/err"; status=$?; }

cp -r "$fixtures/missing-module-license/no-license" "$work/mod"
rm -f "$work/mod/expect-build-failure"
cd "$work/mod"
run .
if [ $status -eq 1 ] && grep -qF '  fix-it (kmodlint --fix): insert MODULE_LICENSE("GPL"); after line 15' "$work/out"
then pass "the fix-it is shown in text output"; else fail "fix-it in text output" "$(cat "$work/out")"; fi

cp unlicensed.c "$work/before.c"
run --fix .
if [ $status -eq 0 ] && [ ! -s "$work/out" ] && grep -q "fixed 1 finding in 1 file" "$work/err" &&
   [ "$(sed -n 16p unlicensed.c)" = 'MODULE_LICENSE("GPL");' ] &&
   [ "$(diff "$work/before.c" unlicensed.c | grep -c '^[<>]')" -eq 1 ]
then pass "--fix inserts MODULE_LICENSE(\"GPL\"); after module_exit()"; else fail "--fix" "exit $status" "$(cat "$work/err")" "$(diff "$work/before.c" unlicensed.c)"; fi

run .
if [ $status -eq 0 ]; then pass "the fixed module is clean"; else fail "the fixed module is clean" "$(cat "$work/out")"; fi
kdir=$("$(dirname "$0")/../../scripts/kernel-build-dir.sh" 2>/dev/null || true)
if [ -n "$kdir" ] && [ -d "$kdir" ]; then
  if make -s -C "$kdir" M="$work/mod" modules >"$work/build.log" 2>&1 && [ -f "$work/mod/unlicensed.ko" ]; then
    pass "the fixed module builds with Kbuild (modpost accepts it)"
  else fail "the fixed module builds with Kbuild" "$(tail -5 "$work/build.log")"; fi
fi
run --fix .
if [ $status -eq 0 ] && ! grep -q fixed "$work/err"; then pass "--fix twice changes nothing"; else fail "--fix twice" "$(cat "$work/err")"; fi

# A finding without a fix-it stays reported by --fix.
cp -r "$fixtures/missing-module-exit/init-without-exit" "$work/noexit"
run --fix "$work/noexit"
if [ $status -eq 1 ] && grep -q "missing-module-exit" "$work/out"; then pass "findings without a fix-it are still reported"
else fail "findings without a fix-it" "$(cat "$work/out")"; fi

finish
