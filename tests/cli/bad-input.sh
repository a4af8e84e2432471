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

finish
