#!/usr/bin/env bash
# Bad input: one clear line naming the file and what to do, exit 2, no crash, no output file.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"

# expect_error NAME EXPECTED_TEXT [kmodlint args...]: exit 2, stderr mentions EXPECTED_TEXT,
# no partial --output file is left behind. The array `runner` prefixes the command (setpriv, env).
runner=()
expect_error() {
  local name=$1 expected=$2
  shift 2
  local out="$work/report-$RANDOM.json"
  "${runner[@]}" "$kmodlint" --format json --output "$out" "$@" >"$work/stdout" 2>"$work/stderr"
  local status=$?
  local errors
  errors=$(grep -c '^kmodlint: ' "$work/stderr")
  if [ $status -ne 2 ]; then fail "$name" "exit status $status, expected 2" "$(cat "$work/stderr")"
  elif ! grep -qF -- "$expected" "$work/stderr"; then fail "$name" "stderr lacks '$expected'" "$(cat "$work/stderr")"
  elif [ "$errors" -ne 1 ]; then fail "$name" "expected one kmodlint: line, got $errors" "$(cat "$work/stderr")"
  elif ls "$work" | grep -q 'report-\|kmodlint-'; then fail "$name" "left an output file behind" "$(ls "$work")"
  else pass "$name"; fi
  rm -f "$work"/report-* "$work"/.report-*
}

expect_error "missing path" "$work/nope: no such file or directory; give a module directory or a .c file" "$work/nope"

mkdir -p "$work/empty/docs"; echo "text" > "$work/empty/docs/README"
expect_error "directory without C sources" "$work/empty: no C source files here" "$work/empty"

make_module "$work/unreadable" unreadable
chmod 000 "$work/unreadable/unreadable.c"
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$work"
  runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  expect_error "unreadable file" "unreadable.c: cannot read this file; check its permissions" "$work/unreadable/unreadable.c"
  runner=()
else
  expect_error "unreadable file" "unreadable.c: cannot read this file; check its permissions" "$work/unreadable/unreadable.c"
fi

make_module "$work/syntax" broken
echo "static int oops(void) { return 0 }" >> "$work/syntax/broken.c"
"$kmodlint" --output "$work/report-syntax" "$work/syntax" >"$work/stdout" 2>"$work/stderr"
status=$?
if [ $status -eq 2 ] && grep -q "broken.c:8:.*error: expected ';'" "$work/stderr" &&
   grep -q "broken.c: could not be parsed; run kmodlint --print-compile-command" "$work/stderr"; then
  pass "syntax error"
else
  fail "syntax error" "exit $status" "$(cat "$work/stderr")"
fi
rm -f "$work"/report-*

make_module "$work/badkbuild" badkbuild
echo "this is not make syntax" >> "$work/badkbuild/Kbuild"
expect_error "Kbuild file make rejects" "badkbuild/Kbuild: make rejected it:" "$work/badkbuild"

make_module "$work/baddb" baddb
echo '[{"directory": "/tmp", "file": ' > "$work/baddb/compile_commands.json"
expect_error "malformed compile_commands.json" "compile_commands.json: malformed JSON" -p "$work/baddb" "$work/baddb"

make_module "$work/badyaml" badyaml
mkdir -p "$work/data"; cp -r "$(dirname "$0")/../../rules" "$work/data/rules"
printf 'schema_version: 1\ndrop: [-pg\n' > "$work/data/rules/gcc-flags.yaml"
runner=(env KMODLINT_DATA_DIR="$work/data")
expect_error "malformed YAML table" "$work/data/rules/gcc-flags.yaml:3: invalid YAML" "$work/badyaml"
runner=()

mkdir -p "$work/notkernel"
expect_error "--kdir that is not a kernel build dir" "$work/notkernel: not a kernel build directory" --kdir "$work/notkernel" "$work/syntax"

expect_error "unknown option" "unknown option '--frob'" --frob

# Every error names its file (and line): yaml-cpp's own errors never reach the user unnamed.
make_module "$work/named" named
printf '? [a, b]\n: 1\n' > "$work/named/.kmodlint.yaml"
expect_error "non-scalar key in .kmodlint.yaml" "$work/named/.kmodlint.yaml:1: a key must be a plain name" "$work/named"
rm "$work/named/.kmodlint.yaml"
printf 'schema_version: 1\ntable: cleanup-pairs\n? [x]\n: y\n' > "$work/rules.yaml"
expect_error "non-scalar key in a --rules table" "$work/rules.yaml:3: a key must be a plain name" --rules "$work/rules.yaml" "$work/named"
printf '{"kmodlint-baseline": 1, "findings": [{? [a] : 1}]}\n' > "$work/baseline.json"
expect_error "non-scalar key in a baseline" "$work/baseline.json:1: a key must be a plain name" --baseline "$work/baseline.json" "$work/named"
printf 'kernel-dir: nowhere\n' > "$work/named/.kmodlint.yaml"
expect_error "bad kernel-dir in a configuration" "$work/named/.kmodlint.yaml:1: kernel-dir: $work/named/nowhere: no such kernel build directory" "$work/named"
printf 'symvers: [""]\n' > "$work/named/.kmodlint.yaml"
expect_error "empty symvers path" "$work/named/.kmodlint.yaml:1: key 'symvers': an empty path" "$work/named"
rm "$work/named/.kmodlint.yaml"
runner=(env TMPDIR=/nonexistent)
expect_error "TMPDIR that does not exist" "TMPDIR=/nonexistent: cannot create a private temporary directory here" --no-make "$work/named"
runner=()

# A malformed baseline is reported before the analysis: no parse error of the broken module shows.
echo '{"findings": []}' > "$work/notbaseline.json"
expect_error "malformed --baseline, before the analysis" "$work/notbaseline.json:1: not a kmodlint baseline" --baseline "$work/notbaseline.json" "$work/syntax"

# A module path with a space: Kbuild cannot build it; kmodlint says so (and --no-make lints it).
make_module "$work/with space" spaced
expect_error "module path with a space" "$work/with space: Kbuild cannot build a module whose path contains a space" "$work/with space"
"$kmodlint" --no-make "$work/with space" >"$work/stdout" 2>"$work/stderr"
status=$?
[ $status -eq 0 ] && pass "module path with a space, --no-make" || fail "module path with a space, --no-make" "exit $status" "$(cat "$work/stderr")"

# An unreadable subdirectory: a warning naming it, exit 2 unless --exit-zero.
make_module "$work/partly/readable" readable
make_module "$work/partly/locked" locked
chmod 000 "$work/partly/locked"
runner=()
[ "$(id -u)" -eq 0 ] && runner=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${runner[@]}" "$kmodlint" "$work/partly" >"$work/stdout" 2>"$work/stderr"
status=$?
"${runner[@]}" "$kmodlint" --exit-zero "$work/partly" >/dev/null 2>&1
status_zero=$?
if [ $status -ne 2 ] || ! grep -qF "kmodlint: warning: $work/partly/locked: cannot read this directory" "$work/stderr"; then
  fail "unreadable subdirectory" "exit $status" "$(cat "$work/stderr")"
elif [ $status_zero -ne 0 ]; then fail "unreadable subdirectory" "--exit-zero gave $status_zero"
else pass "unreadable subdirectory"; fi
runner=()
chmod 755 "$work/partly/locked"

# An object make cannot make (a generated source that is missing) does not hide the others: they
# are linted, the Kbuild file is named, exit 2.
make_module "$work/partial" good
echo 'obj-m += gen.o
gen-objs := gen_generated.o' >> "$work/partial/Kbuild"
sed -i '/module_exit/d' "$work/partial/good.c"
"$kmodlint" --format json -o "$work/partial.json" "$work/partial" >"$work/stdout" 2>"$work/stderr"
status=$?
if [ $status -ne 2 ] || ! grep -qF "kmodlint: warning: $work/partial/Kbuild: make could not dry-run all of it" "$work/stderr"; then
  fail "an object make cannot make" "exit $status" "$(cat "$work/stderr")"
elif ! grep -q '"missing-module-exit"' "$work/partial.json"; then fail "an object make cannot make" "good.c was not linted"
else pass "an object make cannot make"; fi
rm -f "$work/partial.json"


# A Kbuild file that builds nothing with these settings (its obj- line needs a CONFIG_ option that
# is unset): one line saying so, exit 2, instead of "no findings in 0 files".
mkdir -p "$work/unset"
echo 'obj-$(CONFIG_KMODLINT_UNSET_OPTION) += unset.o' > "$work/unset/Kbuild"
make_module "$work/unset-src" unset && cp "$work/unset-src/unset.c" "$work/unset/" && rm -rf "$work/unset-src"
expect_error "Kbuild builds nothing here" "$work/unset: no module to lint: Kbuild builds none of these C files" "$work/unset"

finish
