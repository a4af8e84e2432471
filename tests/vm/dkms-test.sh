#!/usr/bin/env bash
# dkms-test.sh -- builds module/kernel-module-example with DKMS for the installed kernel headers,
# as a user would (dkms add / build / install with -k <version>, so it works when `uname -r`
# is another kernel, as in a container), checks the built and installed .ko, then removes
# everything again (dkms remove --all, the /usr/src copy, a MOK key DKMS made for this run).
# Needs root. Ends with the line "N passed, M failed"; exits non-zero when something failed.
# Environment: KMODLINT_KVER=<ver> overrides the kernel version (default: see common.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

"$root/scripts/ensure-deps.sh" "$root/scripts/debian-packages-vm.txt" || {
  echo "dkms-test: could not install the Debian packages of scripts/debian-packages-vm.txt" >&2
  exit 2
}
[ "$(id -u)" -eq 0 ] || { echo "dkms-test: needs root (dkms writes /usr/src, /var/lib/dkms, /lib/modules)" >&2; exit 2; }

KVER=$(kmodlint_kver) || { echo "dkms-test: no /lib/modules/<ver>/build: install linux-headers-amd64" >&2; exit 2; }
src=$root/module/kernel-module-example
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$src/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf")
ko=kernel-module-example.ko
dkms_tree=/var/lib/dkms
usr_src=/usr/src/$name-$version
echo "dkms-test: $name/$version for kernel $KVER (running kernel: $(uname -r)), $(dkms --version 2>&1)"

work=$(mktemp -d "${TMPDIR:-/tmp}/kmodlint-dkms.XXXXXX")
mok_existed=0
[ -e "$dkms_tree/mok.key" ] && mok_existed=1
cleanup() {
  dkms remove "$name/$version" --all >/dev/null 2>&1
  rm -rf "$usr_src"
  if [ $mok_existed = 0 ]; then rm -f "$dkms_tree/mok.key" "$dkms_tree/mok.pub"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# run NAME CMD...: runs CMD (output to a log); PASS when it succeeds, else FAIL with the log.
run() {
  local what=$1 log=$work/$(echo "$1" | tr -c 'a-zA-Z0-9' _).log t0 t1; shift
  t0=$(date +%s.%N)
  if "$@" >"$log" 2>&1; then
    t1=$(date +%s.%N)
    t_pass "$what ($(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s)"
  else
    t_fail "$what: '$*' failed"
    t_indent "$log"
    find "$dkms_tree/$name" -name make.log -exec sh -c 'echo "--- $1"; cat "$1"' _ {} \; 2>/dev/null
    return 1
  fi
}
check() {
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then t_pass "$what"; else t_fail "$what"; fi
}

# A leftover of an interrupted run would make `dkms add` fail.
if dkms status "$name/$version" 2>/dev/null | grep -q .; then
  echo "dkms-test: removing a leftover $name/$version registration"
  dkms remove "$name/$version" --all >/dev/null 2>&1
fi
rm -rf "$usr_src"

# dkms add from a copy of the source (dkms copies it to /usr/src/<name>-<version>)
cp -r "$src" "$work/$name"
run "dkms add $work/$name" dkms add "$work/$name"
check "dkms add copied the source to $usr_src" test -f "$usr_src/dkms.conf"
check "dkms status: added" sh -c "dkms status '$name/$version' | grep -q 'added'"

if run "dkms build $name/$version -k $KVER" dkms build "$name/$version" -k "$KVER"; then
  built=$dkms_tree/$name/$version/$KVER/$(uname -m)/module/$ko
  check "built $built" test -f "$built"
  if [ -f "$built" ]; then
    info=$(modinfo "$built")
    echo "$info" | grep -E '^(name|license|vermagic|depends|signer):' | sed 's/^/    /'
    check "built .ko: name kernel_module_example" sh -c "echo \"\$0\" | grep -qE '^name: +kernel_module_example$'" "$info"
    check "built .ko: license GPL" sh -c "echo \"\$0\" | grep -qE '^license: +GPL$'" "$info"
    check "built .ko: vermagic $KVER" sh -c "echo \"\$0\" | grep -qE '^vermagic: +$KVER '" "$info"
  fi
  check "dkms status: built for $KVER" sh -c "dkms status '$name/$version' -k '$KVER' | grep -q 'built'"
  check "the source copy stayed clean (no build products in $usr_src)" \
    sh -c "! ls '$usr_src' | grep -qE '\\.(o|ko|mod)\$'"

  # install: into /lib/modules/<ver>/updates/dkms, and depmod knows it
  if run "dkms install $name/$version -k $KVER" dkms install "$name/$version" -k "$KVER"; then
    installed=$(modinfo -k "$KVER" -F filename kernel-module-example 2>/dev/null)
    echo "    installed as: $installed"
    check "modinfo -k $KVER finds the installed kernel-module-example" \
      sh -c "test -n '$installed' && test -f '$installed' && case '$installed' in /lib/modules/$KVER/*) ;; *) exit 1;; esac"
    check "modules.dep of $KVER lists it" grep -q "/$ko:" "/lib/modules/$KVER/modules.dep"
    check "dkms status: installed for $KVER" sh -c "dkms status '$name/$version' -k '$KVER' | grep -q 'installed'"
  fi
fi

# remove everything again
run "dkms remove $name/$version --all" dkms remove "$name/$version" --all
check "dkms status: $name gone" sh -c "! dkms status '$name' | grep -q ."
check "no $ko left under /lib/modules/$KVER" sh -c "! find '/lib/modules/$KVER' -name '$ko' | grep -q ."
check "modules.dep of $KVER no longer lists it" sh -c "! grep -q '/$ko:' '/lib/modules/$KVER/modules.dep'"
check "no $name left in $dkms_tree" test ! -e "$dkms_tree/$name"

t_summary
