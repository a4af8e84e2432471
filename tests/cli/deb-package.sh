#!/usr/bin/env bash
# The Debian package: cpack builds kmodlint_<version>_amd64.deb with the right dependencies;
# apt-get installs it; /usr/bin/kmodlint lints a fixture (its rules, docs and man page are
# installed); the package is removed again, leaving the machine as it was.
set -u
kmodlint=$1
build=$2
source "$(dirname "$0")/lib.sh"
fixtures="$(cd "$(dirname "$0")/../.." && pwd)/fixtures"
if [ "$(id -u)" -ne 0 ]; then fail "runs as root (apt-get install)"; finish; exit; fi
# One package test at a time on this machine (other checkouts may run it too).
exec 9>/tmp/kmodlint-deb-test.lock
flock 9

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg") >"$work/cpack.log" 2>&1
version=$(sed -n 's/^kmodlint \(.*\)$/\1/p' <("$kmodlint" --version))
deb="$work/pkg/kmodlint_${version}_amd64.deb"
if [ -f "$deb" ]; then pass "cpack builds kmodlint_${version}_amd64.deb"; else fail "cpack builds the .deb" "$(tail -20 "$work/cpack.log")"; finish; exit; fi

depends=$(dpkg-deb -f "$deb" Depends)
missing=()
for package in libclang-cpp19 libllvm19 libyaml-cpp0.7; do
  echo "$depends" | grep -qw "$package" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then pass "Depends: $depends"; else fail "dependencies" "missing ${missing[*]} in: $depends"; fi
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
missing=()
for file in ./usr/bin/kmodlint ./usr/share/kmodlint/rules/gcc-flags.yaml ./usr/share/kmodlint/rules/licenses.yaml \
            ./usr/share/kmodlint/docs/checks/missing-module-exit.md ./usr/share/man/man1/kmodlint.1.gz; do
  grep -qx "$file" "$work/contents" || missing+=("$file")
done
if [ ${#missing[@]} -eq 0 ]; then pass "the package holds the binary, rules, check docs and man page"
else fail "package contents" "missing: ${missing[*]}"; fi

was_installed=$(dpkg-query -W -f='${db:Status-Status}' kmodlint 2>/dev/null || true)
if [ "$was_installed" = installed ]; then
  fail "kmodlint is not installed before the test" "a kmodlint package is installed on this machine; remove it first (apt-get remove kmodlint)"
  finish; exit
fi
cleanup() { DEBIAN_FRONTEND=noninteractive apt-get purge -y -q kmodlint >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1; then
  pass "apt-get install ./kmodlint_${version}_amd64.deb"
else fail "apt-get install" "$(tail -20 "$work/apt.log")"; finish; exit; fi

cp -r "$fixtures/missing-module-exit/init-without-exit" "$work/mod"
cd "$work/mod"
/usr/bin/kmodlint --color never . >"$work/out" 2>"$work/err"; status=$?
if [ $status -eq 1 ] && grep -q "^noexit.c:11:1: warning: module 'noexit' can never be unloaded.*\[missing-module-exit\]" "$work/out"
then pass "/usr/bin/kmodlint lints a fixture"; else fail "/usr/bin/kmodlint lints a fixture" "exit $status" "$(cat "$work/out" "$work/err")"; fi
if /usr/bin/kmodlint --explain missing-module-exit | grep -q "^# missing-module-exit"; then pass "the installed --explain finds its docs"
else fail "installed --explain"; fi
if zcat /usr/share/man/man1/kmodlint.1.gz | grep -q '^\.TH KMODLINT 1'; then pass "man page installed"; else fail "man page installed"; fi

DEBIAN_FRONTEND=noninteractive apt-get purge -y -q kmodlint >"$work/purge.log" 2>&1
if [ ! -e /usr/bin/kmodlint ] && [ ! -d /usr/share/kmodlint ] && ! dpkg-query -W kmodlint 2>/dev/null | grep -q .; then
  pass "apt-get purge leaves nothing behind"
else fail "purge" "$(cat "$work/purge.log")"; fi
finish
