#!/usr/bin/env bash
# Safe mode and hostile input (docs/security.md): each case plays an attack or a hostile file
# and checks what kmodlint did. With --no-make nothing the repository controls runs, nothing is
# read outside the linted tree, the kernel directory and kmodlint's data, nothing is written but
# kmodlint's private temporary directory and -o.
set -u
kmodlint=$1
source "$(dirname "$0")/lib.sh"
chmod 755 "$work"
kdir=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -1)

# run NAME [kmodlint args...]: runs kmodlint, stores status (124: it hung and was killed after
# 60 s), stdout and stderr. NAME documents the call.
run() {
  shift
  timeout 60 "$kmodlint" "$@" >"$work/stdout" 2>"$work/stderr"
  status=$?
}

module_at() {  # module_at DIR NAME: a clean module with a Kbuild file
  make_module "$1" "$2"
}

# --- kernel-dir from the repository's configuration runs nothing in safe mode -----------------
repo=$work/kdir-attack
module_at "$repo" victim
mkdir -p "$repo/k"
printf 'x := $(shell touch %s/pwned-kdir)\nall:\n\t@true\n' "$work" > "$repo/k/Makefile"
touch "$repo/k/.config"
echo 'kernel-dir: k' > "$repo/.kmodlint.yaml"
run "kernel-dir refused in safe mode" --no-make "$repo"
if [ -e "$work/pwned-kdir" ]; then fail "kernel-dir refused in safe mode" "the repository's Makefile ran"
elif [ $status -ne 2 ] || ! grep -qF "$repo/.kmodlint.yaml:1: kernel-dir is not used with --no-make" "$work/stderr"; then
  fail "kernel-dir refused in safe mode" "exit $status" "$(cat "$work/stderr")"
else pass "kernel-dir refused in safe mode"; fi
run "--kdir on the command line still works in safe mode" --no-make --kdir "$kdir" "$repo"
[ $status -eq 0 ] && [ ! -e "$work/pwned-kdir" ] && pass "--kdir on the command line still works in safe mode" ||
  fail "--kdir on the command line still works in safe mode" "exit $status" "$(cat "$work/stderr")"

# --- flags that write files never reach Clang ----------------------------------------------------
out=$work/written
mkdir -p "$out"
repo=$work/flags-attack
module_at "$repo" flags
printf 'ccflags-y := -MD -MF%s/dep -MJ %s/mj --serialize-diagnostics %s/diag -Xclang -dependency-file -Xclang %s/depfile -Xclang -diagnostic-log-file -Xclang %s/log -M -ftime-trace -fprofile-instr-generate=%s/prof -Wp,-MMD,%s/wp\n' \
  "$out" "$out" "$out" "$out" "$out" "$out" "$out" >> "$repo/Kbuild"
run "flags from ccflags-y (safe mode)" --no-make -v --format json "$repo"
if [ -n "$(ls -A "$out")" ]; then fail "flags from ccflags-y (safe mode)" "files written: $(ls "$out")"
elif [ $status -ne 0 ] || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/stdout" 2>/dev/null; then
  fail "flags from ccflags-y (safe mode)" "exit $status or stdout is not JSON" "$(head -c 300 "$work/stdout")"
elif ! grep -qF -- "-MJ $out/mj" "$work/stderr"; then fail "flags from ccflags-y (safe mode)" "-v does not name the refused flags"
else pass "flags from ccflags-y (safe mode)"; fi

repo=$work/db-attack
module_at "$repo" dbattack
cat > "$repo/compile_commands.json" <<EOJ
[{"directory": "$repo", "file": "dbattack.c",
  "arguments": ["gcc", "-MJ", "$out/db-mj", "-MD", "-MF", "$out/db-dep", "--serialize-diagnostics", "$out/db-diag", "-c", "-o", "dbattack.o", "dbattack.c"]}]
EOJ
run "flags from compile_commands.json (-p)" -p "$repo" --format json "$repo"
if [ -n "$(ls -A "$out")" ]; then fail "flags from compile_commands.json (-p)" "files written: $(ls "$out")"
elif ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/stdout" 2>/dev/null; then
  fail "flags from compile_commands.json (-p)" "stdout is not JSON" "$(head -c 300 "$work/stdout")"
else pass "flags from compile_commands.json (-p)"; fi

# --- nothing outside the tree is read in safe mode -------------------------------------------
outside=$work/outside
mkdir -p "$outside"
echo '#error SECRET_CONTENT_4711' > "$outside/secret.h"
repo=$work/read-attack
module_at "$repo" reader
sed -i "1i #include \"$outside/secret.h\"" "$repo/reader.c"
run "include outside the tree, normal mode (control)" "$repo"
grep -q SECRET_CONTENT_4711 "$work/stderr" && pass "include outside the tree, normal mode (control)" ||
  fail "include outside the tree, normal mode (control)" "the control did not read the file" "$(cat "$work/stderr")"
run "include outside the tree, safe mode" --no-make "$repo"
if grep -q SECRET_CONTENT_4711 "$work/stderr" "$work/stdout"; then fail "include outside the tree, safe mode" "the file was read"
elif [ $status -ne 2 ] || ! grep -qF "secret.h" "$work/stderr"; then
  fail "include outside the tree, safe mode" "exit $status" "$(cat "$work/stderr")"
else pass "include outside the tree, safe mode"; fi

repo=$work/link-attack
module_at "$repo" linker
ln -s "$outside/secret.h" "$repo/inside.h"
sed -i '1i #include "inside.h"' "$repo/linker.c"
run "symbolic link out of the tree, safe mode" --no-make "$repo"
if grep -q SECRET_CONTENT_4711 "$work/stderr" "$work/stdout"; then fail "symbolic link out of the tree, safe mode" "the file was read"
elif [ $status -ne 2 ]; then fail "symbolic link out of the tree, safe mode" "exit $status" "$(cat "$work/stderr")"
else pass "symbolic link out of the tree, safe mode"; fi

repo=$work/config-link
module_at "$repo" conflink
printf 'checks: ["-*"]\nSECRET_KEY_4711: 1\n' > "$outside/config.yaml"
ln -s "$outside/config.yaml" "$repo/.kmodlint.yaml"
run "configuration that links out of the tree, safe mode" --no-make "$repo"
if grep -q SECRET_KEY_4711 "$work/stderr"; then fail "configuration that links out of the tree, safe mode" "the file was read"
elif [ $status -ne 2 ] || ! grep -qF "$repo/.kmodlint.yaml: leads out of the linted tree" "$work/stderr"; then
  fail "configuration that links out of the tree, safe mode" "exit $status" "$(cat "$work/stderr")"
else pass "configuration that links out of the tree, safe mode"; fi

repo=$work/device-include
module_at "$repo" devinc
ln -s /dev/zero "$repo/zero.h"
sed -i '1i #include "zero.h"' "$repo/devinc.c"
run "#include of a device (normal mode)" "$repo"
[ $status -eq 2 ] && grep -qF "zero.h" "$work/stderr" && pass "#include of a device (normal mode)" ||
  fail "#include of a device (normal mode)" "exit $status" "$(tail -3 "$work/stderr")"

# --- the probe directory is private: nothing planted in TMPDIR is used --------------------------
tmp=$work/tmp
mkdir -p "$tmp"
echo keep > "$work/victim"
# exec keeps the pid, so the planted directory has the name kmodlint used to choose.
bash -c 'mkdir -p "$1/kmodlint-probe-$$" && printf "x := \$(shell touch %s/pwned-probe)\n" "$2" > "$1/kmodlint-probe-$$/.kmodlint_probe.o.cmd" &&
         ln -s "$2/victim" "$1/kmodlint-probe-$$/Kbuild" && exec env TMPDIR="$1" "$3" --no-make "$4"' \
  _ "$tmp" "$work" "$kmodlint" "$work/kdir-attack/victim.c" >"$work/stdout" 2>"$work/stderr"
if [ -e "$work/pwned-probe" ]; then fail "planted probe directory" "the planted .cmd file ran"
elif [ "$(cat "$work/victim")" != keep ]; then fail "planted probe directory" "the planted Kbuild symlink's target was overwritten"
elif [ "$(ls "$tmp" | grep -vc '^kmodlint-probe-[0-9]*$')" -ne 0 ]; then fail "planted probe directory" "left behind: $(ls "$tmp")"
else pass "planted probe directory"; fi

# --- symvers: only regular files, only inside the tree in safe mode --------------------------
repo=$work/symvers-attack
module_at "$repo" symv
echo 'symvers: /dev/zero' > "$repo/.kmodlint.yaml"
run "symvers: /dev/zero (safe mode)" --no-make "$repo"
[ $status -eq 2 ] && grep -qF "$repo/.kmodlint.yaml:1: symvers '/dev/zero' is outside the linted tree" "$work/stderr" &&
  pass "symvers: /dev/zero (safe mode)" || fail "symvers: /dev/zero (safe mode)" "exit $status" "$(cat "$work/stderr")"
run "symvers: /dev/zero (normal mode)" "$repo"
[ $status -eq 2 ] && grep -qF "$repo/.kmodlint.yaml:1: symvers '/dev/zero': not a regular file" "$work/stderr" &&
  pass "symvers: /dev/zero (normal mode)" || fail "symvers: /dev/zero (normal mode)" "exit $status" "$(cat "$work/stderr")"
echo 'symvers: /dev/stdin' > "$repo/.kmodlint.yaml"
run "symvers: /dev/stdin does not hang" "$repo" </dev/zero
[ $status -eq 2 ] && pass "symvers: /dev/stdin does not hang" || fail "symvers: /dev/stdin does not hang" "exit $status" "$(cat "$work/stderr")"
echo 'symvers: /etc/shadow' > "$repo/.kmodlint.yaml"
run "symvers: /etc/shadow (safe mode)" --no-make "$repo"
[ $status -eq 2 ] && grep -qF "outside the linted tree" "$work/stderr" && ! grep -q "crc" "$work/stderr" &&
  pass "symvers: /etc/shadow (safe mode)" || fail "symvers: /etc/shadow (safe mode)" "exit $status" "$(cat "$work/stderr")"
mkfifo "$repo/fifo.symvers"
echo 'symvers: fifo.symvers' > "$repo/.kmodlint.yaml"
run "symvers: a FIFO in the tree" --no-make "$repo"
[ $status -eq 2 ] && grep -qF "not a regular file" "$work/stderr" && pass "symvers: a FIFO in the tree" ||
  fail "symvers: a FIFO in the tree" "exit $status" "$(cat "$work/stderr")"
rm -f "$repo/.kmodlint.yaml"

# --- -o: devices and FIFOs are written to, never replaced; a file keeps its mode --------------
repo=$work/kdir-attack
rm -f "$repo/.kmodlint.yaml"
mkfifo "$work/report.fifo"
cat "$work/report.fifo" > "$work/fifo-read" &
reader=$!
run "-o FIFO" --kdir "$kdir" --format json -o "$work/report.fifo" "$repo"
wait $reader
[ -p "$work/report.fifo" ] && grep -q '"findings"' "$work/fifo-read" && pass "-o FIFO" ||
  fail "-o FIFO" "exit $status; the FIFO was replaced or got nothing" "$(ls -l "$work/report.fifo")"
ln -s "$work/report.fifo" "$work/link-to-fifo"
cat "$work/report.fifo" > "$work/fifo-read2" &
reader=$!
run "-o symbolic link to a FIFO" --format json -o "$work/link-to-fifo" "$repo"
wait $reader
[ -L "$work/link-to-fifo" ] && [ -p "$work/report.fifo" ] && grep -q '"findings"' "$work/fifo-read2" &&
  pass "-o symbolic link to a FIFO" || fail "-o symbolic link to a FIFO" "exit $status" "$(ls -l "$work" | grep fifo)"
echo old > "$work/report.json"
chmod 600 "$work/report.json"
run "-o keeps the file's mode" --format json -o "$work/report.json" "$repo"
[ "$(stat -c %a "$work/report.json")" = 600 ] && grep -q '"findings"' "$work/report.json" && pass "-o keeps the file's mode" ||
  fail "-o keeps the file's mode" "mode $(stat -c %a "$work/report.json")"
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
  # A device node as root, in a private mount namespace on a tmpfs (the real /dev is never at risk).
  dev=$work/dev
  mkdir -p "$dev"
  unshare -m bash -c 'mount -t tmpfs none "$1" && mknod "$1/null" c 1 3 && ln -s "$1/null" "$1/stdout-link" &&
      "$2" --format json -o "$1/null" "$3" >/dev/null 2>&1; "$2" --format json -o "$1/stdout-link" "$3" >/dev/null 2>&1
      [ -c "$1/null" ] && [ -L "$1/stdout-link" ] && [ -c "$(readlink -f "$1/stdout-link")" ]' _ "$dev" "$kmodlint" "$repo"
  [ $? -eq 0 ] && pass "-o a device node as root" || fail "-o a device node as root" "the device node or the symlink to it was replaced"
else
  echo "SKIP -o a device node as root (needs root and unshare)"
fi

# --- crash containment -------------------------------------------------------------------------
repo=$work/deep
module_at "$repo/good" good
sed -i '/module_exit/d' "$repo/good/good.c"  # one finding: missing-module-exit
mkdir -p "$repo/deep"
echo 'obj-m := deep.o' > "$repo/deep/Kbuild"
python3 -c 'print("#include <linux/module.h>\nint deep_a;\nint deep_sum(void);\nint deep_sum(void) { return " + "+".join(["deep_a"] * 40000) + "; }\nEXPORT_SYMBOL(deep_sum);\nEXPORT_SYMBOL(deep_a);\nMODULE_LICENSE(\"GPL\");")' > "$repo/deep/deep.c"
rm -f "$work/deep.json"
run "40,000-term expression beside a good module" --format json -o "$work/deep.json" "$repo"
if [ $status -ne 1 ] || ! grep -q '"missing-module-exit"' "$work/deep.json" 2>/dev/null; then
  fail "40,000-term expression beside a good module" "exit $status" "$(tail -3 "$work/stderr")"
elif ! grep -qF "deep/deep.c:4: note: code nested more than" "$work/stderr"; then
  fail "40,000-term expression beside a good module" "no note about the skipped depth" "$(cat "$work/stderr")"
else pass "40,000-term expression beside a good module"; fi

module_at "$repo/crashme" crashme
rm -f "$work/crash.json"
KMODLINT_TEST_CRASH_IN=crashme.c run "a file that crashes the parser" --format json -o "$work/crash.json" "$repo"
if [ $status -ne 2 ] || ! grep -qF "crashme/crashme.c: error: Clang crashed while parsing this file (SIGSEGV)" "$work/stderr"; then
  fail "a file that crashes the parser" "exit $status" "$(cat "$work/stderr")"
elif ! grep -q '"missing-module-exit"' "$work/crash.json" 2>/dev/null; then
  fail "a file that crashes the parser" "no report of the other modules in -o"
else pass "a file that crashes the parser"; fi

# --- dry runs: killed with kmodlint, bounded by -j ---------------------------------------------
repo=$work/slow
module_at "$repo" slow
echo 'x := $(shell sleep 61.25)' >> "$repo/Kbuild"
mkdir -p "$work/tmp2"
TMPDIR=$work/tmp2 "$kmodlint" "$repo" >/dev/null 2>&1 &
pid=$!
sleep 3
kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then fail "SIGTERM during a dry run" "kmodlint still runs 5 s later"; kill -KILL $pid
elif sleep 0.5 && pgrep -f 'sleep 61.25' >/dev/null; then fail "SIGTERM during a dry run" "make's children still run"; pkill -f 'sleep 61.25'
elif [ -n "$(ls -A "$work/tmp2")" ]; then fail "SIGTERM during a dry run" "left in TMPDIR: $(ls "$work/tmp2")"
else pass "SIGTERM during a dry run"; fi
wait $pid 2>/dev/null

repo=$work/many
mkdir -p "$work/running"
cat > "$work/count.sh" <<EOS
#!/bin/sh
touch "$work/running/\$\$"
ls "$work/running" | wc -l >> "$work/counts"
sleep 0.4
rm -f "$work/running/\$\$"
EOS
chmod +x "$work/count.sh"
for i in 1 2 3 4 5; do
  module_at "$repo/m$i" "many$i"
  echo "x := \$(shell $work/count.sh)" >> "$repo/m$i/Kbuild"
done
for jobs in 1 2; do
  rm -f "$work/counts"
  run "-j$jobs bounds the dry runs" -j$jobs "$repo"
  most=$(sort -n "$work/counts" | tail -1)
  [ $status -eq 0 ] && [ "$most" -le $jobs ] && pass "-j$jobs bounds the dry runs (at most $most at once)" ||
    fail "-j$jobs bounds the dry runs" "exit $status, $most at once" "$(cat "$work/stderr")"
done


# --- make variables of dkms.conf and the module Makefile ------------------------------------------
# Safe mode reads neither for a dry run (none runs); with make, the variables that would make
# Kbuild write elsewhere (O=) or swap its tools (CC=) are never passed, the others are.
repo=$work/makevars-attack
module_at "$repo" makevars
cat > "$repo/dkms.conf" <<EOC
PACKAGE_NAME="makevars"
PACKAGE_VERSION="1.0"
BUILT_MODULE_NAME[0]="makevars"
MAKE[0]="make -C \${kernel_source_dir} M=\${dkms_tree}/makevars/1.0/build O=$work/o-dir CC=$work/evil-cc KMODLINT_FROM_DKMS=yes"
EOC
printf 'x := $(shell touch %s/pwned-makevars)\n' "$work" >> "$repo/Kbuild"
printf 'all:\n\t$(MAKE) -C /lib/modules/x/build M=$(PWD) O=%s/o-dir2 KMODLINT_FROM_MAKEFILE=yes modules\n' "$work" > "$repo/Makefile"
run "make variables, safe mode" --no-make -v "$repo"
if [ -e "$work/pwned-makevars" ]; then fail "make variables, safe mode" "the Makefile ran"
elif [ $status -ne 0 ] || grep -q "make variables of the module's own build" "$work/stderr"; then
  fail "make variables, safe mode" "exit $status" "$(cat "$work/stderr")"
else pass "make variables, safe mode"; fi
rm -f "$work/pwned-makevars"
run "make variables, with make" -v "$repo"
line=$(grep "make variables of the module's own build passed to Kbuild" "$work/stderr")
if [ -e "$work/o-dir" ] || [ -e "$work/o-dir2" ]; then fail "make variables, with make" "Kbuild wrote to O="
elif [ $status -ne 0 ] || ! grep -q "KMODLINT_FROM_DKMS=yes" <<<"$line" || ! grep -q "KMODLINT_FROM_MAKEFILE=yes" <<<"$line"; then
  fail "make variables, with make" "exit $status, or a variable is missing" "$(cat "$work/stderr")"
elif grep -q "O=\|CC=" <<<"$line"; then fail "make variables, with make" "O= or CC= was passed: $line"
else pass "make variables, with make"; fi

finish
