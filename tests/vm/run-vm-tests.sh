#!/usr/bin/env bash
# run-vm-tests.sh -- builds kmodlint's reference modules (module/) and the seeded-bug variants
# of refchar (fixtures/*/refchar-*), installs each set into a staging tree with
# `make modules_install` + `depmod -b`, and loads them with modprobe inside Debian's own kernel
# (/boot/vmlinuz-<ver>, the version of the installed headers) booted in qemu (TCG) from a
# busybox initramfs. One boot per scenario (see vm-tests.sh): `reference` for the reference
# modules, and one per variant, so that a variant's leftover kernel state cannot pollute
# another scenario's checks.
#
# Usage: tests/vm/run-vm-tests.sh [SCENARIO...]     (default: all scenarios)
# Environment: KMODLINT_KVER=<ver>           kernel version (default: see common.sh)
#              KMODLINT_VM_TIMEOUT=<seconds> hard timeout of one boot (default 120)
#              KMODLINT_VM_KEEP=1            keep the temporary directory (path printed)
#              KMODLINT_VM_VERBOSE=1         print every console log, not only failing ones
#              KMODLINT_VM_JOBS=<n>          builds and boots run at a time (default: CPUs, max 4)
# Ends with the line "N passed, M failed"; exits non-zero when something failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

"$root/scripts/ensure-deps.sh" "$root/scripts/debian-packages-vm.txt" || {
  echo "run-vm-tests: could not install the Debian packages of scripts/debian-packages-vm.txt" >&2
  exit 2
}

# scenario -> fixture case (seeded-bug variants of module/refchar)
declare -A VARIANT_CASE=(
  [refchar-keeps-chrdev-region]=fixtures/unreleased-in-exit/refchar-keeps-chrdev-region
  [refchar-keeps-class]=fixtures/unreleased-in-exit/refchar-keeps-class
  [refchar-keeps-proc-entry]=fixtures/unreleased-in-exit/refchar-keeps-proc-entry
  [refchar-no-exit]=fixtures/missing-module-exit/refchar-no-exit
)
# expectation comments each variant must carry: "<text on the line>|<check id>" entries
declare -A VARIANT_EXPECT=(
  [refchar-keeps-chrdev-region]="alloc_chrdev_region(|unreleased-in-exit cdev_add(|unreleased-in-exit"
  [refchar-keeps-class]="class_create(|unreleased-in-exit device_create(|unreleased-in-exit"
  [refchar-keeps-proc-entry]="proc_create(|unreleased-in-exit"
  [refchar-no-exit]="module_init(|missing-module-exit"
)
ALL_SCENARIOS=(reference refchar-keeps-chrdev-region refchar-keeps-class refchar-keeps-proc-entry refchar-no-exit)
if [ $# -gt 0 ]; then scenarios=("$@"); else scenarios=("${ALL_SCENARIOS[@]}"); fi
for s in "${scenarios[@]}"; do
  [ "$s" = reference ] || [ -n "${VARIANT_CASE[$s]:-}" ] || { echo "run-vm-tests: unknown scenario '$s' (known: ${ALL_SCENARIOS[*]})" >&2; exit 2; }
done

KVER=$(kmodlint_kver need-image) || {
  echo "run-vm-tests: no kernel version with both /lib/modules/<ver>/build and /boot/vmlinuz-<ver>" >&2
  echo "run-vm-tests: install linux-headers-amd64 and linux-image-amd64" >&2
  exit 2
}
KERNEL=/boot/vmlinuz-$KVER
BOOT_TIMEOUT=${KMODLINT_VM_TIMEOUT:-120}

work=$(mktemp -d "${TMPDIR:-/tmp}/kmodlint-vm.XXXXXX")
if [ "${KMODLINT_VM_KEEP:-0}" = 1 ]; then
  echo "run-vm-tests: keeping $work"
else
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/src" "$work/logs" "$work/initramfs"
echo "run-vm-tests: kernel $KVER ($KERNEL), work dir $work, boot timeout ${BOOT_TIMEOUT}s"
suite_start=$(date +%s)

# --- build ---------------------------------------------------------------------------------
# Builds and boots run JOBS at a time (default: the number of CPUs, at most 4); their results
# are reported afterwards, in a fixed order.
JOBS=${KMODLINT_VM_JOBS:-$(nproc)}
[ "$JOBS" -ge 1 ] 2>/dev/null || JOBS=1
[ "$JOBS" -le 4 ] || JOBS=4
pool_wait() { while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done; }
spawn() { pool_wait; "$@" & }
elapsed() { printf '%.1f' "$(echo "$(date +%s.%N) - $1" | bc)"; }

# build_run NAME DIR: `make` in DIR (a copy outside the source tree); log, exit status and time
# go to $work/logs/build-NAME.{log,rc,secs}.
build_run() {
  local name=$1 dir=$2 t0 rc
  t0=$(date +%s.%N)
  make -C "$dir" KVER="$KVER" >"$work/logs/build-$name.log" 2>&1
  rc=$?
  echo "$rc" >"$work/logs/build-$name.rc"
  elapsed "$t0" >"$work/logs/build-$name.secs"
  return $rc
}
# build order of the pair: the exporter first (its Module.symvers feeds the consumer's modpost)
build_pair_run() {
  build_run exporter "$1/exporter" && build_run consumer "$1/consumer"
}
# build_report NAME DIR: PASS when the build made the .ko files without any warning.
build_report() {
  local name=$1 dir=$2 log=$work/logs/build-$1.log
  if [ ! -f "$work/logs/build-$name.rc" ]; then
    t_fail "build $name: not built (an earlier build failed)"
    return 1
  fi
  if [ "$(cat "$work/logs/build-$name.rc")" != 0 ]; then
    t_fail "build $name"
    t_indent "$log"
    return 1
  fi
  if grep -qi 'warning' "$log"; then
    t_fail "build $name: warnings"
    t_indent "$log"
    return 1
  fi
  t_pass "build $name ($(ls "$dir"/*.ko | xargs -n1 basename | tr '\n' ' ')no warnings, $(cat "$work/logs/build-$name.secs") s)"
}

# install NAME DIR STAGE: `make modules_install INSTALL_MOD_PATH=STAGE` for the module in DIR.
install_into() {
  local name=$1 dir=$2 stage=$3 log=$work/logs/install-$1-$(basename "$3").log
  if make -C "$dir" KVER="$KVER" INSTALL_MOD_PATH="$stage" modules_install >"$log" 2>&1; then
    return 0
  fi
  t_fail "make modules_install $name into $(basename "$stage")"
  t_indent "$log"
  return 1
}

# finish_stage STAGE KO...: depmod -b STAGE like on an installed system; PASS when every KO
# is in modules.dep.
finish_stage() {
  local stage=$1 name; shift
  local moddir=$stage/lib/modules/$KVER f
  mkdir -p "$moddir"
  # what the kernel package installs next to its modules: lets depmod know the built-ins
  for f in modules.order modules.builtin modules.builtin.modinfo; do
    [ -f "/lib/modules/$KVER/$f" ] && cp "/lib/modules/$KVER/$f" "$moddir/"
  done
  if ! depmod -b "$stage" "$KVER" >"$work/logs/depmod-$(basename "$stage").log" 2>&1; then
    t_fail "depmod -b $(basename "$stage")"; t_indent "$work/logs/depmod-$(basename "$stage").log"; return 1
  fi
  for name in "$@"; do
    if ! grep -q "^extra/$name.ko:" "$moddir/modules.dep"; then
      t_fail "stage $(basename "$stage"): extra/$name.ko in modules.dep"; t_indent "$moddir/modules.dep"; return 1
    fi
  done
  t_pass "stage $(basename "$stage"): make modules_install + depmod -b ($(sed 's/:.*//' "$moddir/modules.dep" | tr '\n' ' '))"
}

stages=$work/initramfs/stages
mods=$work/src/module
cp -r "$root/module" "$mods"
mkdir -p "$work/src/variants"
want_reference=0
for s in "${scenarios[@]}"; do [ "$s" = reference ] && want_reference=1; done

# lay out the variants (and check their expectation comments) before building anything
declare -A VARIANT_OK=()
for s in "${scenarios[@]}"; do
  [ "$s" = reference ] && continue
  case_dir=$root/${VARIANT_CASE[$s]}
  vdir=$work/src/variants/$s
  if ! "$root/scripts/materialize-fixture.sh" "$case_dir" "$vdir" >"$work/logs/materialize-$s.log" 2>&1; then
    t_fail "materialize ${VARIANT_CASE[$s]}"; t_indent "$work/logs/materialize-$s.log"; continue
  fi
  VARIANT_OK[$s]=1
  # the seed carries the linter's expectations on the offending lines
  missing=
  for e in ${VARIANT_EXPECT[$s]}; do
    call=${e%%|*} id=${e#*|}
    grep -hF "$call" "$vdir"/*.c | grep -qF "/* kmodlint-expect: $id */" || missing="$missing $call($id)"
  done
  if [ -z "$missing" ]; then
    t_pass "$s: seed.patch applies, expectation comments on ${VARIANT_EXPECT[$s]//|/ -> }"
  else
    t_fail "$s: expectation comments missing:$missing"
  fi
done

builds_t0=$(date +%s.%N)
if [ $want_reference = 1 ]; then
  spawn build_pair_run "$mods"
  spawn build_run refchar "$mods/refchar"
  spawn build_run kernel-module-example "$mods/kernel-module-example"
fi
for s in "${!VARIANT_OK[@]}"; do
  spawn build_run "$s" "$work/src/variants/$s"
done
wait
echo "run-vm-tests: builds took $(elapsed "$builds_t0") s ($JOBS at a time)"

if [ $want_reference = 1 ]; then
  ok=1
  for m in kernel-module-example refchar exporter consumer; do
    build_report "$m" "$mods/$m" || ok=0
  done
  if [ $ok = 1 ]; then
    for m in kernel-module-example refchar exporter consumer; do
      install_into "$m" "$mods/$m" "$stages/reference" || ok=0
    done
  fi
  if [ $ok = 1 ]; then
    finish_stage "$stages/reference" kernel-module-example refchar exporter consumer || ok=0
  fi
  [ $ok = 1 ] || rm -rf "$stages/reference"
fi
for s in "${scenarios[@]}"; do
  [ -n "${VARIANT_OK[$s]:-}" ] || continue
  vdir=$work/src/variants/$s
  build_report "$s" "$vdir" || continue
  install_into "$s" "$vdir" "$stages/$s" && finish_stage "$stages/$s" refchar || rm -rf "$stages/$s"
done

# --- initramfs -----------------------------------------------------------------------------
initrd=$work/initrd.img
mkdir -p "$work/initramfs"/{bin,dev,proc,sys,tmp,lib}
cp /bin/busybox "$work/initramfs/bin/busybox"
# kmod's modprobe/insmod/rmmod/lsmod (what a Debian user runs) with the libraries it links;
# busybox provides the shell and everything else (vm-init.sh puts /sbin first in PATH).
mkdir -p "$work/initramfs/sbin"
kmod_bin=$(command -v kmod || echo /usr/bin/kmod)
cp "$kmod_bin" "$work/initramfs/sbin/kmod"
for t in modprobe insmod rmmod lsmod modinfo; do ln -s kmod "$work/initramfs/sbin/$t"; done
for lib in $(ldd "$kmod_bin" | grep -oE '/[^ ]+'); do
  mkdir -p "$work/initramfs$(dirname "$lib")"
  cp -L "$lib" "$work/initramfs$lib"
done
install -m 0755 "$here/vm-init.sh" "$work/initramfs/init"
install -m 0755 "$here/vm-tests.sh" "$work/initramfs/vm-tests.sh"
(cd "$work/initramfs" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$initrd" || {
  t_fail "build the initramfs"; t_summary; exit 1
}
echo "run-vm-tests: initramfs $(du -h "$initrd" | cut -f1)"

# --- boots ---------------------------------------------------------------------------------
# boot_run SCENARIO: boots the VM, which runs SCENARIO and writes its results to the second
# serial port; qemu's exit status and the time go to $work/logs/boot-SCENARIO.{rc,secs}.
boot_run() {
  local s=$1 t0 rc
  t0=$(date +%s.%N)
  timeout --kill-after=10 "$BOOT_TIMEOUT" \
    qemu-system-x86_64 -accel tcg -machine pc -cpu qemu64 -smp 1 -m 512M \
      -nodefaults -display none -no-reboot \
      -serial "file:$work/logs/console-$s.log" -serial "file:$work/logs/results-$s.log" \
      -kernel "$KERNEL" -initrd "$initrd" \
      -append "console=ttyS0 panic=-1 kmodlint.scenario=$s" \
      </dev/null >"$work/logs/qemu-$s.log" 2>&1
  rc=$?
  echo "$rc" >"$work/logs/boot-$s.rc"
  elapsed "$t0" >"$work/logs/boot-$s.secs"
}

# boot_report SCENARIO: one PASS/FAIL per result line of the VM, and one for the boot itself;
# prints the console log when the boot timed out, did not finish, or a check failed.
boot_report() {
  local s=$1 console=$work/logs/console-$1.log results=$work/logs/results-$1.log
  local rc secs npass nfail show_console=0 line
  if [ ! -d "$stages/$s" ]; then
    t_fail "boot $s: skipped, its modules did not build or install"
    return
  fi
  rc=$(cat "$work/logs/boot-$s.rc") secs=$(cat "$work/logs/boot-$s.secs")
  tr -d '\r' <"$results" >"$results.txt"
  echo "--- boot $s: ${secs} s (qemu exit status $rc)"
  grep -E '^INFO ' "$results.txt" | sed 's/^/    /'
  npass=0 nfail=0
  while IFS= read -r line; do
    case $line in
      "PASS $s: "*) t_pass "$s: ${line#PASS $s: }"; npass=$((npass + 1)) ;;
      "FAIL "*) t_fail "${line#FAIL }"; nfail=$((nfail + 1)) ;;
    esac
  done <"$results.txt"
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    t_fail "boot $s: TIMED OUT after ${BOOT_TIMEOUT}s (hard timeout fired; console log below)"
    show_console=1
  elif ! grep -qx "DONE $s" "$results.txt"; then
    t_fail "boot $s: the VM did not finish its tests (qemu exit status $rc; console log below)"
    show_console=1
  elif [ $npass -eq 0 ]; then
    t_fail "boot $s: the VM reported no check"
    show_console=1
  else
    t_pass "boot $s: VM finished in ${secs} s ($npass checks passed, $nfail failed)"
  fi
  [ $nfail -eq 0 ] || show_console=1
  if [ $show_console = 1 ] || [ "${KMODLINT_VM_VERBOSE:-0}" = 1 ]; then
    echo "--- console log of boot $s ($console):"
    t_indent "$console"
    [ -s "$work/logs/qemu-$s.log" ] && { echo "--- qemu output:"; t_indent "$work/logs/qemu-$s.log"; }
    echo "--- end of console log of boot $s"
  fi
}

boots_t0=$(date +%s.%N)
for s in "${scenarios[@]}"; do
  [ -d "$stages/$s" ] && spawn boot_run "$s"
done
wait
echo "run-vm-tests: boots took $(elapsed "$boots_t0") s ($JOBS at a time)"
for s in "${scenarios[@]}"; do
  boot_report "$s"
done

echo "run-vm-tests: total $(($(date +%s) - suite_start)) s"
t_summary
